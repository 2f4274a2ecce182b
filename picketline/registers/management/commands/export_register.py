"""Write the published register as JSON or CSV to standard output."""

import json

from django.core.management.base import BaseCommand

from picketline.registers import exchange


class Command(BaseCommand):
    help = "Export the published people or companies as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("register", choices=["people", "companies"])
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, register, format, **options):
        if register == "people":
            records = exchange.people_for_export()
            fields, lists = exchange.PERSON_FIELDS, exchange.PERSON_LIST_FIELDS
        else:
            records = exchange.companies_for_export()
            fields, lists = exchange.COMPANY_FIELDS, exchange.COMPANY_LIST_FIELDS
        if format == "csv":
            self.stdout.write(exchange.to_csv(records, fields, lists), ending="")
        else:
            self.stdout.write(json.dumps({register: records}, ensure_ascii=False, indent=2))
