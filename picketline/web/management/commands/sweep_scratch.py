from django.core.management.base import BaseCommand

from picketline.web import uploads


class Command(BaseCommand):
    help = (
        "Delete what killed requests and tries left in this machine's upload folder (older "
        "than six hours). Every worker does it hourly and the web server at start; run it "
        "hourly from a timer on a machine without a worker."
    )

    def handle(self, *args, **options):
        done = uploads.delete_leftovers()
        if options["verbosity"] > 1 or done:
            self.stdout.write(f"{done} leftover file(s) deleted from {uploads.upload_dir()}")
