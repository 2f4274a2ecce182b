"""Import people or companies from a JSON or CSV file: shows the changes, applies only with
``--apply``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from picketline.registers import exchange


class Command(BaseCommand):
    help = "Show what importing a register file would change; --apply writes it."

    def add_arguments(self, parser):
        parser.add_argument("register", choices=["people", "companies"])
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["json", "csv"], help="default: from the suffix")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Show the changes (default).")
        mode.add_argument("--apply", action="store_true", help="Write the changes.")

    def handle(self, register, path, format, dry_run, apply, **options):
        fmt = format or ("csv" if path.suffix.lower() == ".csv" else "json")
        try:
            text = path.read_text(encoding="utf-8")
            plan = exchange.plan(exchange.read_records(text, fmt, register), register)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except exchange.ImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(plan.describe())
        if apply:
            plan.apply()
            self.stdout.write(self.style.SUCCESS("Applied."))
        else:
            self.stdout.write("Nothing written (dry run); add --apply to write these changes.")
