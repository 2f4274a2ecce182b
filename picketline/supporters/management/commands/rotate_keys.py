"""Re-encrypt every encrypted column with the current (first) key."""

from django.core.management.base import BaseCommand, CommandError

from picketline.supporters.keys import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every EncryptedTextField of every model with the current key, in batches. "
        "Safe to stop and run again: values already under the current key are skipped. A value "
        "that cannot be read (its key is no longer in PICKETLINE_ENCRYPTION_KEYS, or it is "
        "damaged) is left as it is and counted; the command then exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch: int, **options):
        done = rotate_all(batch=batch)
        # Counts and the key ids only: nothing of any value, which is personal data.
        for place in done.places():
            self.stdout.write(
                f"{place}: {done.rotated[place]} re-encrypted, {done.current[place]} already "
                f"under the current key, {done.unreadable[place]} unreadable"
            )
            for why, count in sorted(done.why.get(place, {}).items()):
                self.stdout.write(f"    {count} unreadable: {why}")
        rotated, unreadable = done.rotated.total(), done.unreadable.total()
        if unreadable:
            raise CommandError(
                f"{rotated} values re-encrypted; {unreadable} could not be read and are left as "
                "they are. Put their key back in PICKETLINE_ENCRYPTION_KEYS (after the current "
                "one) and run rotate_keys again; a damaged value stays unreadable."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{rotated} values re-encrypted. Every encrypted value now uses the current key."
            )
        )
