"""Print a one-time set-up link for a staff account (made if it does not exist yet)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from picketline.accounts.invitations import invite
from picketline.accounts.models import INVITATION_LIFETIME
from picketline.accounts.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = (
        "Make a one-time, expiring link that sets up a staff account's password and "
        "authenticator app together, and print it. Creates the account if needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=ROLES, help="add the account to this role")
        parser.add_argument(
            "--hours",
            type=int,
            default=int(INVITATION_LIFETIME.total_seconds() // 3600),
            help="how long the link works (default: %(default)s)",
        )

    def handle(self, *args, username, role, hours, **options):
        if not 1 <= hours <= 24 * 7:
            raise CommandError("--hours must be between 1 and 168.")
        if role:
            ensure_roles()
        user, link = invite(
            username,
            created_by="picketline invite_organiser",
            role=role,
            lifetime=timedelta(hours=hours),
        )
        self.stdout.write(f"Set-up link for {user.get_username()} (works once, {hours} h):")
        self.stdout.write(link)
