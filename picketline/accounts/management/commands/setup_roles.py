"""Create or update the organiser role groups (administrator, organiser, moderator, viewer)."""

from django.core.management.base import BaseCommand

from picketline.accounts.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or update the four organiser role groups and their permissions. Idempotent."

    def handle(self, *args, **options):
        for role, count in ensure_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
