"""Print a one-time set-up link for a staff account (made if it does not exist yet)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from picketline.accounts.invitations import invite
from picketline.accounts.models import INVITATION_LIFETIME
from picketline.accounts.roles import ROLES, ensure_roles
from picketline.lib.zones import places_zones


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
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="",
            help="the language of their pages and mail (they may change it)",
        )
        parser.add_argument(
            "--time-zone",
            default="",
            help="the clocks of their pages and mail, e.g. Europe/Berlin (they may change it)",
        )

    def handle(self, *args, username, role, hours, language, time_zone, **options):
        if not 1 <= hours <= 24 * 7:
            raise CommandError("--hours must be between 1 and 168.")
        if time_zone and time_zone not in places_zones():
            raise CommandError(f"Unknown time zone {time_zone!r}: give one such as Europe/Berlin.")
        if role:
            ensure_roles()
        user, link = invite(
            username,
            created_by="picketline invite_organiser",
            role=role,
            lifetime=timedelta(hours=hours),
            language=language,
            time_zone=time_zone,
        )
        self.stdout.write(f"Set-up link for {user.get_username()} (works once, {hours} h):")
        self.stdout.write(link)
