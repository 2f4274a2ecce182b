"""Re-encrypt every encrypted column with the current (first) key."""

from django.core.management.base import BaseCommand

from picketline.supporters.keys import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every EncryptedTextField of every model with the current key, in batches. "
        "Safe to stop and run again: values already under the current key are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch: int, **options):
        for label, count in rotate_all(batch=batch).items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS("Every encrypted value now uses the current key."))
