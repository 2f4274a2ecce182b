"""Load the demo campaign. Every app with a ``demo`` module contributes; running twice is harmless."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from picketline.lib.demo_dates import DemoDates

# Order matters: later apps refer to what earlier ones created.
DEMO_APPS = ["campaigns", "events", "registers", "supporters", "letters", "submissions"]


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
        for app in DEMO_APPS:
            try:
                module = import_module(f"picketline.{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"picketline.{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(dates)
            self.stdout.write(f"  demo data loaded: {app}")
        shift = (
            "original 2024 dates" if original_dates else f"dates moved by {dates.offset.days} days"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo campaign loaded ({shift})."))
