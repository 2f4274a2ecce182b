"""The target directory as CSV, from the admin: errors by line, nothing half-imported."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from picketline.letters.models import Target
from picketline.letters.target_csv import COLUMNS, export_targets, import_targets
from tests.letters.helpers import target

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def test_it_imports_targets_with_their_addresses():
    text = (
        HEADER + "\n"
        'Embassy of Belarus in Germany,Embassy,embassy_of_belarus,de,"de,ru",'
        '"a@example.org; b@example.org","Am Treptower Park 32, 12435 Berlin",Europe/Berlin,yes,no,'
        '"https://mfberlin.de/belarus-botschaft-in-berlin/",\n'
    )
    result = import_targets(text)
    assert result.ok, result.errors
    assert result.created == 1
    embassy = Target.objects.get()
    assert embassy.country == "DE"
    assert [a.email for a in embassy.addresses.all()] == ["a@example.org", "b@example.org"]
    assert embassy.source_list() == ["https://mfberlin.de/belarus-botschaft-in-berlin/"]


def test_it_reports_every_bad_line_and_imports_nothing():
    text = (
        HEADER + "\n"
        "Good target,,labour_ministry,DE,de,good@example.org,,Europe/Berlin,yes,no,,\n"
        "Bad country,,labour_ministry,Germany,de,x@example.org,,UTC,yes,no,,\n"
        "Bad role,,king,FR,fr,y@example.org,,UTC,yes,no,,\n"
        "Bad mail,,labour_ministry,PL,pl,not-an-address,,Mars/Base,maybe,no,,\n"
    )
    result = import_targets(text)
    assert not result.ok
    lines = [line for line, _ in result.errors]
    assert lines == [3, 4, 5]
    problems = dict(result.errors)
    assert "country" in problems[3]
    assert "role" in problems[4]
    assert "not-an-address" in problems[5] and "Mars/Base" in problems[5]
    assert "maybe" in problems[5]
    assert Target.objects.count() == 0


def test_a_duplicate_row_is_an_error():
    row = "Same,,labour_ministry,DE,de,s@example.org,,UTC,yes,no,,\n"
    result = import_targets(HEADER + "\n" + row + row)
    assert result.errors == [(3, "Same name and country as line 2.")]


def test_missing_columns_are_reported():
    result = import_targets("name,country\nX,DE\n")
    assert result.errors == [(1, "Missing columns: role")]


def test_an_export_imports_back_as_an_update():
    original = target("Ministry of Labour", "DE", "labour_ministry", languages="de")
    exported = export_targets(Target.objects.prefetch_related("addresses"))
    edited = exported.replace("ministry.of.labour@example.org", "new@example.org")
    result = import_targets(edited)
    assert (result.created, result.updated) == (0, 1)
    original.refresh_from_db()
    assert [a.email for a in original.addresses.all()] == ["new@example.org"]


@pytest.fixture
def organiser(client):
    user = User.objects.create_superuser("org", "org@example.org", "a long password 123")
    client.force_login(user)
    return client


def test_the_admin_import_shows_errors_by_line(organiser):
    upload = SimpleUploadedFile(
        "targets.csv",
        (HEADER + "\nBad,,labour_ministry,XXX,de,a@example.org,,UTC,yes,no,,\n").encode(),
        content_type="text/csv",
    )
    page = organiser.post(reverse("admin:letters_target_import"), {"file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing was imported" in html
    assert "<td>2</td>" in html
    assert Target.objects.count() == 0


def test_the_admin_import_and_export_round_trip(organiser):
    upload = SimpleUploadedFile(
        "targets.csv",
        (
            HEADER
            + "\nМинистерство труда,,labour_ministry,BY,be,mt@example.org,,Europe/Minsk,yes,yes,,\n"
        ).encode(),
        content_type="text/csv",
    )
    response = organiser.post(reverse("admin:letters_target_import"), {"file": upload})
    assert response.status_code == 302
    exported = organiser.get(reverse("admin:letters_target_export"))
    assert exported["Content-Type"].startswith("text/csv")
    assert "Министерство труда,,labour_ministry,BY" in exported.content.decode()


def test_only_organisers_reach_the_import(client):
    assert client.get(reverse("admin:letters_target_import")).status_code == 302


def test_the_organiser_pages_open(organiser):
    from tests.letters.helpers import letter_action

    action = letter_action()
    changelist = organiser.get(reverse("admin:letters_target_changelist"))
    assert "Import CSV" in changelist.content.decode()
    assert (
        organiser.get(reverse("admin:letters_letteraction_change", args=[action.pk])).status_code
        == 200
    )
    assert organiser.get(reverse("admin:letters_letteraction_add")).status_code == 200


def test_the_pause_button_holds_an_action(organiser):
    from picketline.letters.models import LetterAction
    from tests.letters.helpers import letter_action

    action = letter_action()
    response = organiser.post(
        reverse("admin:letters_letteraction_changelist"),
        {"action": "pause_sending", "_selected_action": [action.pk]},
    )
    assert response.status_code == 302
    assert LetterAction.objects.get(pk=action.pk).paused


def test_organisers_find_the_paper_versions_in_the_admin(organiser):
    from tests.letters.helpers import confirmed_letter, letter_action

    to = target("Embassy of Belarus in Germany", "DE")
    action = letter_action(fixed=[to])
    letter = confirmed_letter(action)
    letters = organiser.get(reverse("admin:letters_letter_changelist")).content.decode()
    assert reverse("letters:organiser_pdf", kwargs={"letter_id": letter.pk}) in letters
    assert "anna@example.net" not in letters
    deliveries = organiser.get(reverse("admin:letters_delivery_changelist")).content.decode()
    bundle = reverse(
        "letters:target_bundle_pdf", kwargs={"action_id": action.pk, "target_id": to.pk}
    )
    assert bundle in deliveries
    assert organiser.get(bundle)["Content-Type"] == "application/pdf"
