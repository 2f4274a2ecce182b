"""Every form where a supporter gives a country warns someone who picks one the organisers
marked as dangerous, in their language, before anything is stored; they may go back and
change it, or, where nothing of theirs is published beside that country, tick that they read
the warning and go on. A form that would publish the country itself (an organisation's
endorsement, a report of an action, a hosted action) never goes on from there. The API never
takes such a country: nobody reads our warning through a partner's site."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from picketline.events.models import HostedAction, Registration
from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage
from picketline.supporters import safety
from picketline.supporters.models import (
    AnonymousCount,
    Consent,
    DangerousCountry,
    Subscription,
    Supporter,
)
from picketline.web.content import bump_content_version
from picketline.web.models import Counter
from tests.events.helpers import online_meeting
from tests.fixtures.media import use_media_folders

pytestmark = pytest.mark.django_db

HEADING = "Your safety first"
NOTHING_STORED = "Nothing you typed has been stored."
ACK = safety.ACKNOWLEDGED


@dataclass(frozen=True)
class Form:
    name: str
    path: str  # after the language
    model: type
    data: dict = field(default_factory=dict)
    may_go_on: bool = True
    country_field: str = "country"

    def url(self, language: str) -> str:
        return f"/{language}/{self.path}"


CONTACT = {"name": "Olga Ivanova", "email": "olga@example.by", "language": "ru", "website": ""}
SUBSCRIBE = Form(
    "subscribe", "me/keep-me-informed/", Subscription, {"consent_organiser_updates": "on"}
)
REGISTRATION = Form(
    "registration", "events/meeting/", Registration, {"organisation": "", "time_zone": ""}
)
VIDEO = Form(
    "video",
    "submit/video/",
    VideoMessage,
    {
        "link": "https://video.example/watch/1",
        "display_name": "anonymous",
        "face_voice": "on",
        "hashtags": "",
    },
)
ENDORSEMENT_DATA = {"organisation": "Example Metalworkers", "org_country": "DE", "kind": "union"}
ENDORSEMENT = Form("endorsement", "submit/endorse/", Endorsement, ENDORSEMENT_DATA)
REPORT_DATA = {
    "kind": "picket",
    "report_country": "DE",
    "happened_on": "2024-04-18",
    "title": "A picket",
    "text": "We stood at the embassy.",
}
REPORT = Form("report", "submit/report/", ActionReport, REPORT_DATA)
# Forms that publish the country: never sent from a dangerous one.
ORG_IN_BELARUS = Form(
    "endorsement-org",
    "submit/endorse/",
    Endorsement,
    {**ENDORSEMENT_DATA, "org_country": "BY"},
    may_go_on=False,
    country_field="org_country",
)
REPORT_FROM_BELARUS = Form(
    "report-place",
    "submit/report/",
    ActionReport,
    {**REPORT_DATA, "report_country": "BY"},
    may_go_on=False,
    country_field="report_country",
)
GOING_ON = [SUBSCRIBE, REGISTRATION, VIDEO, ENDORSEMENT, REPORT]
NEVER = [ORG_IN_BELARUS, REPORT_FROM_BELARUS]


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    use_media_folders(settings, tmp_path)
    DangerousCountry.objects.create(code="BY")
    online_meeting()
    return tmp_path


def post(client, form: Form, language: str = "ru", **extra):
    data = {**CONTACT, "language": language, **form.data, **extra}
    if form.may_go_on:
        data[form.country_field] = "BY"
    return client.post(form.url(language), data)


def nothing_stored(tmp_path, model) -> bool:
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    return not (
        Supporter.objects.exists()
        or model.objects.exists()
        or Consent.objects.exists()
        or OutgoingMessage.objects.exists()
        # An upload form counts every upload before it reads it (by a keyed hash of the
        # connection, not the address); nothing else is counted.
        or Counter.objects.exclude(key__startswith="rl:uploads:").exists()
        or files
    )


def said(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", ["ru", "be", "de"])
@pytest.mark.parametrize("form", GOING_ON + NEVER, ids=lambda f: f.name)
def test_it_warns_in_the_readers_language_and_stores_nothing(client, setup, form, language):
    response = post(client, form, language)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert said(language, HEADING) in page and HEADING not in page
    assert said(language, NOTHING_STORED) in page and NOTHING_STORED not in page
    assert said(language, "Safer ways to help") in page
    assert reverse("supporters:count_support").replace("/en/", f"/{language}/") in page
    assert reverse("registers:people").replace("/en/", f"/{language}/") in page
    assert "https://bsky.app/intent/compose?" in page
    with translation.override(language):
        belarus = {"ru": "Беларусь", "be": "Беларусь", "de": "Belarus"}[language]
        assert belarus in page
    assert nothing_stored(setup, form.model)


@pytest.mark.parametrize("form", GOING_ON, ids=lambda f: f.name)
def test_a_supporter_who_read_the_warning_may_go_on(client, setup, form):
    refused = post(client, form).content.decode()
    # The box to go on is shown with the warning, never ticked in advance.
    assert f'name="{ACK}"' in refused and "checked" not in refused.split(f'name="{ACK}"')[1][:40]
    response = post(client, form, **{ACK: "on"})
    assert response.status_code == 302
    action = form.model.objects.get()
    assert action.supporter.country == "BY"
    # ...and the confirmation mail's subject names nothing of the campaign.
    assert action.calls_for_discretion()


@pytest.mark.parametrize("form", GOING_ON, ids=lambda f: f.name)
def test_every_form_that_takes_an_address_says_the_mails_name_the_campaign(client, setup, form):
    # A video sender is told about their face and voice too, not instead.
    page = post(client, form).content.decode()
    with translation.override("ru"):
        mails = str(safety.PERSONAL) % {"country": "Беларусь"}
    assert mails in page


@pytest.mark.parametrize("form", NEVER, ids=lambda f: f.name)
def test_a_form_that_publishes_the_country_never_goes_on_from_there(client, setup, form):
    page = post(client, form, **{ACK: "on"}).content.decode()
    assert said("ru", HEADING) in page
    assert nothing_stored(setup, form.model)
    # No box to go on is offered for it.
    assert "data-safety-acknowledge hidden" in page


def test_a_hosted_action_in_a_marked_country_is_never_listed(client, setup):
    DangerousCountry.objects.create(code="PL")
    data = {
        **CONTACT,
        "title": "Picket",
        "description": "",
        "city": "Warsaw",
        "place": "At the embassy",
        "starts_at": "2030-04-19T12:00",
        "ends_at": "2030-04-19T13:00",
        "expected_size": "25",
        "contact": "Signal",
        ACK: "on",
    }
    response = client.post("/de/events/hosted/propose/", {**data, "language": "de"})
    page = response.content.decode()
    assert response.status_code == 400
    assert said("de", HEADING) in page and "Polen" in page
    assert nothing_stored(setup, HostedAction)


def test_a_video_is_never_shown_with_a_dangerous_country(client, setup):
    response = post(client, VIDEO, "en", **{ACK: "on", "display_name": "first_country"})
    assert response.status_code == 400
    assert "We never show a video with Belarus next to it" in response.content.decode()
    assert nothing_stored(setup, VideoMessage)


def test_another_country_goes_on_as_before_with_the_warning_waiting_hidden(client, setup):
    page = client.get("/en/submit/video/").content.decode()
    assert 'data-safety-country="BY"' in page and "supporters/safety" in page
    assert 'role="alert" hidden' in page
    response = client.post("/en/submit/video/", {**CONTACT, **VIDEO.data, "country": "DE"})
    assert response.status_code == 302
    assert not VideoMessage.objects.get().calls_for_discretion()


def test_the_api_never_takes_a_dangerous_country(client, setup):
    for fields in ({"country": "BY", ACK: "on"}, {"org_country": "BY"}):
        body = {**CONTACT, "language": "en", **ENDORSEMENT_DATA, **fields}
        response = client.post(
            "/api/v1/endorsements", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400
        assert "marked as dangerous" in response.json()["error"]
    assert nothing_stored(setup, Endorsement)


def test_counting_support_adds_one_to_the_pages_number_and_keeps_nothing_about_who(client):
    page = client.get("/ru/events/meeting/").content.decode()
    token = page.split('name="key" value="')[1].split('"')[0]
    response = client.post("/ru/me/count-me/", {"key": token}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert 'href="/ru/events/meeting/"' in response.content.decode()
    assert AnonymousCount.count_for("/events/meeting/") == 1
    assert not (Supporter.objects.exists() or OutgoingMessage.objects.exists())
    assert all("203.0.113.7" not in key for key in Counter.objects.values_list("key", flat=True))
    assert set(AnonymousCount.objects.values().get()) == {"key", "count"}
    # The same number in every language; shown with the warning.
    again = client.get("/de/events/meeting/").content.decode()
    assert said("de", "Count my support") in again


def test_a_count_too_small_to_tell_nobody_apart_is_not_shown(client):
    # Those who count are in a country marked as dangerous: four, shown the moment it grows,
    # would tell whoever saw one of them on this page what they did.
    token = safety.count_token("/events/meeting/")
    for _ in range(3):
        AnonymousCount.add_one("/events/meeting/")
    counted = client.post("/en/me/count-me/", {"key": token}).content.decode()
    assert "counted their support this way" not in counted
    assert "We added one to a number" in counted
    page = client.get("/en/events/meeting/").content.decode()
    assert "Count my support" in page and "counted their support this way" not in page
    counted = client.post("/en/me/count-me/", {"key": token}).content.decode()
    assert "Thank you. 5 people have counted their support this way." in counted
    bump_content_version()  # else the page cache answers with the page it kept
    page = client.get("/en/events/meeting/").content.decode()
    assert "5 people have counted their support this way." in page


def test_only_a_count_a_page_named_exists_and_a_client_counts_a_few_times_a_day(client):
    assert client.post("/en/me/count-me/", {"key": "/made/up/"}).status_code == 404
    token = safety.count_token("/events/meeting/")
    statuses = [client.post("/en/me/count-me/", {"key": token}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert AnonymousCount.count_for("/events/meeting/") == 3
    assert client.get("/en/me/count-me/").status_code == 405


def test_a_video_sent_before_its_country_was_marked_never_shows_it_and_moderators_are_told(
    client, django_capture_on_commit_callbacks
):
    from tests.fixtures.accounts import login_verified
    from tests.submissions.helpers import make_moderator, make_video_message

    Supporter.get_or_create_for_email("ana@example.org", name="Ana", country="UA")
    video = make_video_message(public_country="UA")
    video.confirm()
    assert video.shown_name() == "Ana, Ukraine"
    with django_capture_on_commit_callbacks(execute=True):  # the pages' content changes
        DangerousCountry.objects.create(code="UA")
    assert video.shown_name() == "Ana"
    login_verified(client, make_moderator())
    queue = client.get(reverse("admin:submissions_decision_queue")).content.decode()
    assert "The sender gave a country marked as dangerous for supporters." in queue
