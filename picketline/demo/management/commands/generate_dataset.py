"""Fill a PostgreSQL database with a large, realistic dataset (see picketline.demo.dataset)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from picketline.demo import dataset


class Command(BaseCommand):
    help = (
        "Fill the PostgreSQL database with a realistic dataset through COPY: by default "
        "1,000,000 supporters, 3,000,000 actions and 5,000,000 outbox messages."
    )

    def add_arguments(self, parser):
        defaults = dataset.Sizes()
        parser.add_argument("--supporters", type=int, default=defaults.supporters)
        parser.add_argument("--actions", type=int, default=defaults.actions)
        parser.add_argument("--messages", type=int, default=defaults.messages)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every size (0.001 for a quick run)."
        )
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_dataset needs PostgreSQL (it writes with COPY); DATABASE_URL points at "
                f"{connection.vendor}."
            )
        sizes = dataset.Sizes(options["supporters"], options["actions"], options["messages"])
        sizes = sizes.scaled(options["scale"])
        self.stdout.write("Loading the demo campaign (actions, events, targets)…")
        call_command("load_demo", stdout=self.stdout)
        self.stdout.write(
            f"Writing {sizes.supporters:,} supporters, {sizes.actions:,} actions, "
            f"{sizes.messages:,} messages…"
        )
        report = dataset.generate(sizes, seed=options["seed"], log=self.stdout.write)
        minutes, seconds = divmod(report.seconds, 60)
        self.stdout.write(
            self.style.SUCCESS(f"Dataset written in {int(minutes)} min {seconds:.1f} s.")
        )
