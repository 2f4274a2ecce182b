"""Input no page can use is a clear 400, never a 500: NUL in a query, a body in another charset,
control characters in names and titles, dates far outside the campaign's years."""

import pytest
from django.test import Client

from picketline.events.forms import HostedActionForm
from picketline.submissions.forms import ReportForm
from picketline.supporters.forms import EmailForm, SubscribeForm
from picketline.supporters.models import Supporter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/submit/videos/?tag=%00",
        "/en/letters/release/?country=%00",
        "/en/register/?q=a%00b",
        "/en/events/?%00=1",
    ],
)
def test_a_nul_in_the_query_string_is_a_400(client, path):
    assert client.get(path).status_code == 400


def test_a_form_posted_in_latin_1_is_a_400(client):
    response = client.post(
        "/en/me/keep-me-informed/",
        "name=J%E9r%F4me&email=j%40example.org&consent_organiser_updates=on",
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
    )
    assert response.status_code == 400


def test_a_form_posted_in_latin_1_is_a_400_with_the_csrf_check_of_a_browser():
    # As a browser posts it: the CSRF cookie and token, and the site's own Origin.
    client = Client(enforce_csrf_checks=True)
    client.get("/en/me/keep-me-informed/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/en/me/keep-me-informed/",
        f"csrfmiddlewaretoken={token}&name=J%E9r%F4me&email=j%40example.org",
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
        headers={"Origin": "http://testserver", "X-CSRFToken": token},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This request could not be read" in page and "Nothing was saved." in page
    assert "J\ufffdr" not in page and "j@example.org" not in page  # nothing it sent
    assert not Supporter.objects.exists()  # and, as the page says, nothing was saved


def test_a_form_posted_in_utf_8_is_read():
    client = Client(enforce_csrf_checks=False)
    response = client.post(
        "/en/me/keep-me-informed/",
        "name=J%C3%A9r%C3%B4me&email=j%40example.org",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code != 400


def test_the_api_still_answers_nul_in_json(client):
    response = client.get("/api/v1/prisoners", {"city": "a\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("character", ["\r", "\n", "\x00", "\x7f", "\u2028"])
def test_a_name_refuses_control_characters(character):
    form = SubscribeForm(
        data={"name": f"Ana{character}Bcc: x@example.org", "email": "ana@example.org"}
    )
    assert not form.is_valid()
    assert "name" in form.errors


def test_an_address_refuses_control_characters():
    assert "email" in EmailForm(data={"email": "ana@example.org\r\nBcc: x@example.org"}).errors


def test_a_long_text_keeps_its_line_breaks_but_not_other_control_characters():
    base = {
        "name": "Ana",
        "email": "ana@example.org",
        "kind": "picket",
        "report_country": "Germany",
        "happened_on": "2024-05-01",
        "title": "A picket",
    }
    with_breaks = ReportForm(data={**base, "text": "One line.\r\nAnother.\tTabbed."})
    with_breaks.is_valid()
    assert "text" not in with_breaks.errors
    with_escape = ReportForm(data={**base, "text": "Bell \x07 and escape \x1b[2J"})
    assert "text" in with_escape.errors
    with_break_in_title = ReportForm(data={**base, "title": "A\npicket", "text": "x"})
    assert "title" in with_break_in_title.errors


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_a_report_date_outside_the_campaign_years_is_refused(day):
    assert "happened_on" in ReportForm(data={"happened_on": day}).errors


@pytest.mark.parametrize("moment", ["0001-01-01T10:00", "2101-01-01T10:00"])
def test_a_hosted_action_outside_the_campaign_years_is_refused(client, moment):
    form = HostedActionForm(data={"starts_at": moment, "ends_at": moment})
    assert "starts_at" in form.errors and "ends_at" in form.errors
    response = client.post(
        "/en/events/hosted/propose/",
        {
            "name": "Ana",
            "email": "ana@example.org",
            "title": "Picket",
            "city": "Berlin",
            "place": "Embassy",
            "starts_at": moment,
            "ends_at": moment,
            "expected_size": "5",
            "contact": "+49 1",
        },
    )
    assert response.status_code < 500
    assert b"between the years 2000 and 2100" in response.content
