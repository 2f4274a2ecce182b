"""Print a fresh encryption key and blind-index key for the environment."""

import base64
import os

from django.core.management.base import BaseCommand

from picketline.lib.crypto import new_key_text


class Command(BaseCommand):
    help = (
        "Print new PICKETLINE_ENCRYPTION_KEYS and PICKETLINE_INDEX_KEY values. To rotate, put the "
        "new encryption key in front of the old ones, restart, then run `picketline rotate_keys`. "
        "The index key cannot be rotated this way: keep it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key-id", default="", help="Id of the new key (default: k<random>).")

    def handle(self, *args, key_id: str, **options):
        key_id = key_id or "k" + os.urandom(3).hex()
        index = base64.urlsafe_b64encode(os.urandom(32)).decode()
        self.stdout.write(f"PICKETLINE_ENCRYPTION_KEYS={new_key_text(key_id)}")
        self.stdout.write(f"PICKETLINE_INDEX_KEY={index}")
