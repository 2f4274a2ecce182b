"""A proposal or a registration sent back with a mistake, without JavaScript, says so at the
top of the form, announced, linking the first field in error; a host's report sent back asks
for its photos again, since no file is kept from a form with a mistake."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from picketline.events.models import HostedReport
from tests.events.helpers import online_meeting
from tests.events.test_hosted import AFTER_THE_ACTION, PROPOSAL, hosted, photo_with_location
from tests.events.test_registration import FORM

pytestmark = pytest.mark.django_db


def summary(page: str) -> str:
    (found,) = re.findall(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', page, re.S)
    return found


def test_a_proposal_sent_back_links_its_first_field_in_error_at_the_top(client: Client):
    response = client.post(
        "/ru/events/hosted/propose/", {**PROPOSAL, "title": "", "email": "not an address"}
    )

    page = response.content.decode()
    found = summary(page)
    assert "Проверьте отмеченные ниже поля." in found
    # The action's fields come first on the page, the proposer's after them.
    assert 'href="#id_title"' in found
    assert page.index(found) < page.index("<form")


def test_a_registration_sent_back_says_so_at_the_top_of_its_section(client: Client):
    online_meeting()

    response = client.post("/en/events/meeting/", {**FORM, "email": "not an address"})

    page = response.content.decode()
    found = summary(page)
    assert "Please look at the fields marked below." in found
    assert 'href="#id_email"' in found
    section = page[page.index('id="register"') :]
    assert section.index('class="form-errors"') < section.index('class="event-form"')


@time_machine.travel(AFTER_THE_ACTION)
def test_a_hosts_report_sent_back_asks_for_its_photos_again(client: Client):
    action = hosted()
    action.approve()
    photo = SimpleUploadedFile("p.jpg", photo_with_location(), content_type="image/jpeg")

    response = client.post(
        f"/de/events/hosted/report/{action.report_token()}/",
        {"participants": "31", "text": "", "photos": [photo]},
    )

    assert response.status_code == 400
    page = response.content.decode()
    photos_errors = page[page.index('id="id_photos_error"') :].split("</div>", 1)[0]
    assert "Bitte wählen Sie die Dateien noch einmal aus" in photos_errors
    assert 'href="#id_text"' in summary(page)
    assert not HostedReport.objects.exists()


@time_machine.travel(AFTER_THE_ACTION)
def test_a_hosts_report_without_photos_asks_for_none(client: Client):
    action = hosted()
    action.approve()

    response = client.post(
        f"/en/events/hosted/report/{action.report_token()}/", {"participants": "31", "text": ""}
    )

    assert "choose the files again" not in response.content.decode()
