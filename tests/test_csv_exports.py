"""No CSV that Picketline writes lets a spreadsheet run a formula someone typed.

Each export gets text that starts like a formula in the fields people can fill; no cell of any
export may then start like one. Our own importers read back exactly what was exported.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from picketline.letters.models import Target
from picketline.letters.target_csv import export_targets, import_targets
from picketline.lib.csv_cells import FORMULA_STARTS, CsvWriter, restore_cell, safe_cell
from picketline.registers import exchange
from picketline.supporters.models import Supporter
from tests.events.helpers import confirmed_registration, online_meeting
from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import target
from tests.registers.helpers import make_company, make_person

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(text: str) -> None:
    dangerous = [cell for cell in cells(text) if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, dangerous
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells(text))


@pytest.fixture
def organiser() -> Client:
    client = Client()
    login_verified(client, make_staff("exporter"))
    return client


def test_the_supporter_export_defuses_formulas(organiser):
    supporter, _ = Supporter.get_or_create_for_email(
        "formula@example.org", name=FORMULAS[0], country=FORMULAS[1]
    )
    response = organiser.post(
        "/admin/supporters/supporter/",
        {"action": "export_csv", "_selected_action": [supporter.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert_no_formula(response.content.decode())


def test_the_registrants_export_defuses_formulas(organiser):
    event = online_meeting()
    confirmed_registration(
        event,
        "eve@example.org",
        organisation=FORMULAS[0],
        interpretation_needs=FORMULAS[2],
        accessibility_needs=FORMULAS[3],
    )
    response = organiser.get(f"/en/events/organise/{event.slug}/export.csv")
    assert response.status_code == 200
    assert_no_formula(response.content.decode())


def test_the_target_exports_defuse_formulas(organiser):
    formula_target = target(
        FORMULAS[0], "DE", notes=FORMULAS[3], organisation=FORMULAS[4], emails=["e@example.org"]
    )
    everything = organiser.get("/admin/letters/target/export/")
    selected = organiser.post(
        "/admin/letters/target/",
        {"action": "export_csv", "_selected_action": [formula_target.pk]},
    )
    for response in (everything, selected):
        assert response["Content-Type"].startswith("text/csv")
        assert_no_formula(response.content.decode())


def test_an_exported_target_file_imports_back_unchanged():
    target(FORMULAS[0], "DE", notes="'t Hart", organisation="-minus", emails=["e@example.org"])
    result = import_targets(export_targets(Target.objects.all()))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    again = Target.objects.get()
    assert (again.name, again.notes, again.organisation) == (FORMULAS[0], "'t Hart", "-minus")


def test_the_open_data_downloads_defuse_formulas(client):
    make_person(name=FORMULAS[0], city=FORMULAS[1])
    make_company(name=FORMULAS[0], city=FORMULAS[3])
    for register in ("people", "companies"):
        response = client.get(f"/en/register/open-data/{register}.csv")
        assert response.status_code == 200
        assert_no_formula(response.content.decode())


def test_the_export_command_defuses_formulas_and_its_file_imports_back(capsys):
    make_person(name=FORMULAS[0], city=FORMULAS[2])
    call_command("export_register", "people", "--format", "csv")
    text = capsys.readouterr().out
    assert_no_formula(text)
    plan = exchange.plan(exchange.read_records(text, "csv", "people"), "people")
    assert [change.kind for change in plan.changes] == ["unchanged"]


@pytest.mark.parametrize("value", [*FORMULAS, "'=1", "''", "'t Hart", "plain", "", "=", "'"])
def test_a_cell_reads_back_as_written(value):
    buffer = io.StringIO()
    CsvWriter(buffer).writerow([value, 7, None])
    (written, number, empty) = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert not written.startswith(FORMULA_STARTS)
    assert restore_cell(written) == value
    assert (number, empty) == ("7", "")
    assert safe_cell(7) == 7


def test_every_csv_writer_in_the_code_is_the_safe_one():
    root = Path(__file__).resolve().parent.parent / "picketline"
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if writers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["lib/csv_cells.py"]
