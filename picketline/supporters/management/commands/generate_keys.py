"""Print a fresh encryption key and blind-index key for the environment.

``picketline generate_keys`` answers before Django's settings load (``picketline.cli``), so it
works on a machine with no keys yet; this command is the same for ``manage.py``.
"""

from django.core.management.base import BaseCommand

from picketline.lib.crypto import new_environment_lines


class Command(BaseCommand):
    help = (
        "Print new PICKETLINE_ENCRYPTION_KEYS and PICKETLINE_INDEX_KEY values. To rotate, put the "
        "new encryption key in front of the old ones, restart, then run `picketline rotate_keys`. "
        "The index key cannot be rotated this way: keep it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key-id", default="", help="Id of the new key (default: k<random>).")

    def handle(self, *args, key_id: str, **options):
        for line in new_environment_lines(key_id):
            self.stdout.write(line)
