from django.core.management.base import BaseCommand

from picketline.dashboard.counting import rebuild


class Command(BaseCommand):
    help = (
        "Count the dashboard's daily figures again from the actions and supporters kept "
        "(once after an upgrade, or after data was loaded without the site's forms), while "
        "the site takes no forms."
    )

    def handle(self, *args, **options) -> None:
        rows = rebuild()
        self.stdout.write(f"{rows} daily count rows written.")
