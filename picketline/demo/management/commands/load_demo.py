"""Load the demo campaign, app by app in the order below; running twice is harmless."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from picketline.accounts import demo as accounts
from picketline.campaigns import demo as campaigns
from picketline.dashboard.counting import rebuild as rebuild_counts
from picketline.events import demo as events
from picketline.letters import demo as letters
from picketline.lib.demo_dates import DemoDates
from picketline.partners import demo as partners
from picketline.registers import demo as registers
from picketline.submissions import demo as submissions

# Order matters: later apps refer to what earlier ones created.
DEMO_APPS = {
    "campaigns": campaigns.load,
    "partners": partners.load,
    "events": events.load,
    "registers": registers.load,
    "accounts": accounts.load,
    "letters": letters.load,
    "submissions": submissions.load,
}


class Command(BaseCommand):
    help = "Load (or refresh) the demo campaign, its dates moved so that it is running now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--original-dates", action="store_true", help="Keep the campaign's original 2024 dates."
        )

    def handle(self, *args, original_dates: bool, **options):
        if original_dates:
            dates = DemoDates.original()
        else:
            dates = DemoDates.running_on(timezone.localdate())
        for app, load in DEMO_APPS.items():
            with transaction.atomic():
                load(dates)
            self.stdout.write(f"  demo data loaded: {app}")
        # The demo's actions are written directly, not through the forms that keep the counts.
        rebuild_counts()
        self.stdout.write("  dashboard counts rebuilt")
        shift = (
            "original 2024 dates" if original_dates else f"dates moved by {dates.offset.days} days"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo campaign loaded ({shift})."))
