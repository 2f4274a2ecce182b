"""A supporter whose address we know already, with another country or none, who later sends a
form giving a country marked as dangerous (and reads the warning) is treated with the same care
as one who gave it first: mail that anyone can cause names nothing of the campaign, and the
moderators are warned before they publish what they sent. The row's own fields do not change
once the address is confirmed (nobody can change another person's data by typing their
address), so the country is remembered beside them, encrypted, and only ever adds caution: a
later form with a safe country does not take it back. The privacy page and its download show
it; erasure deletes it with the row; and the forms run the same statements as before, whether
the address is new or known, the country dangerous or not."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from picketline.events.models import Event, Registration
from picketline.submissions.models import VideoMessage
from picketline.supporters import flow
from picketline.supporters.models import DangerousCountry, Subscription, Supporter
from picketline.supporters.safety import ACKNOWLEDGED
from tests.events.helpers import messages_to, online_meeting
from tests.fixtures.accounts import login_verified
from tests.fixtures.media import use_media_folders
from tests.submissions.helpers import make_moderator

pytestmark = pytest.mark.django_db

EMAIL = "olga@example.org"
CONTACT = {"name": "Olga", "email": EMAIL, "language": "en", "website": ""}
VIDEO = (
    "/en/submit/video/",
    {
        "link": "https://video.example/watch/1",
        "display_name": "anonymous",
        "face_voice": "on",
        "hashtags": "",
    },
)
REGISTRATION = ("/en/events/meeting/", {"organisation": "", "time_zone": ""})
SUBSCRIBE = ("/en/me/keep-me-informed/", {"consent_organiser_updates": "on"})
NEUTRAL = "Please confirm your e-mail address"
MODERATORS_WARNED = "The sender gave a country marked as dangerous for supporters."
LABEL = "A country given with your e-mail address that we treat with extra care"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    use_media_folders(settings, tmp_path)
    DangerousCountry.objects.create(code="BY")
    online_meeting()


def known(country: str, *, confirmed: bool = True) -> Supporter:
    supporter, _created = Supporter.get_or_create_for_email(EMAIL, name="Olga", country=country)
    if confirmed:
        supporter.mark_confirmed()
    return supporter


def send(client, form: tuple[str, dict], country: str, email: str = EMAIL, ip: str = "") -> None:
    path, data = form
    extra = {"REMOTE_ADDR": ip} if ip else {}
    posted = {**CONTACT, **data, "email": email, "country": country, ACKNOWLEDGED: "on"}
    assert client.post(path, posted, **extra).status_code == 302


@pytest.mark.parametrize("country", ["", "DE"])
def test_a_video_from_a_confirmed_address_that_gives_belarus_later_warns_the_moderators(
    client, country
):
    known(country)
    send(client, VIDEO, "BY")
    video = VideoMessage.objects.get()
    assert video.supporter.country == country  # the confirmed row itself is unchanged
    assert video.calls_for_discretion()
    video.confirm()
    login_verified(client, make_moderator())
    queue = client.get(reverse("admin:submissions_decision_queue")).content.decode()
    assert MODERATORS_WARNED in queue


@pytest.mark.parametrize("country", ["", "DE"])
def test_a_registration_from_a_confirmed_address_that_gives_belarus_later_has_a_neutral_subject(
    client, country
):
    known(country)
    send(client, REGISTRATION, "BY")
    [mail] = messages_to(EMAIL, kind="confirmation")
    assert mail.subject == NEUTRAL
    assert Registration.objects.get().calls_for_discretion()


def test_a_registrant_who_gives_belarus_on_the_form_again_gets_a_neutral_subject(client):
    from tests.events.helpers import confirmed_registration

    known("DE")
    confirmed_registration(Event.objects.get(), EMAIL)
    send(client, REGISTRATION, "BY")
    # The registrant's own link goes again, in a mail whose subject names no event.
    mail = messages_to(EMAIL)[-1]
    assert mail.subject == "Your e-mail address was given again"
    assert Registration.objects.count() == 1


def test_an_unconfirmed_address_with_another_country_remembers_belarus_too(client):
    known("DE", confirmed=False)
    send(client, VIDEO, "BY")
    video = VideoMessage.objects.get()
    assert video.supporter.country == "DE"  # only an empty field is filled before confirming
    assert video.calls_for_discretion()


def test_without_a_dangerous_country_the_mail_names_the_event_as_before(client):
    known("DE")
    send(client, REGISTRATION, "PL")
    [mail] = messages_to(EMAIL, kind="confirmation")
    assert mail.subject == "Please confirm: Your registration for Online meeting"
    assert Supporter.objects.get().gave_dangerous_country == ""


def test_a_later_form_with_a_safe_country_does_not_take_it_back(client):
    known("DE")
    send(client, VIDEO, "BY")
    send(client, SUBSCRIBE, "DE")
    assert Supporter.objects.get().gave_dangerous_country == "BY"
    assert Subscription.objects.get().calls_for_discretion()
    assert messages_to(EMAIL, kind="confirmation")[-1].subject == NEUTRAL


def test_a_new_address_keeps_its_country_once(client):
    send(client, SUBSCRIBE, "BY")
    supporter = Supporter.objects.get()
    assert (supporter.country, supporter.gave_dangerous_country) == ("BY", "")
    assert Subscription.objects.get().calls_for_discretion()


def test_an_unconfirmed_address_without_a_country_takes_it_as_its_country(client):
    known("", confirmed=False)
    send(client, SUBSCRIBE, "BY")
    supporter = Supporter.objects.get()
    assert (supporter.country, supporter.gave_dangerous_country) == ("BY", "")


def open_privacy_page(client, language: str) -> str:
    token = flow.privacy_token(Supporter.objects.get())
    assert client.post(reverse("supporters:privacy_open", args=[token])).status_code == 302
    page = client.get(f"/{language}/me/privacy/mine/").content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_privacy_page_and_its_download_show_it(client):
    known("DE")
    send(client, VIDEO, "BY")
    page = open_privacy_page(client, "en")
    assert f"{LABEL} Belarus" in page
    data = json.loads(client.get("/en/me/privacy/mine/my-data.json").content)
    assert data["supporter"]["gave_dangerous_country"] == "BY"
    assert data["supporter"]["country"] == "DE"


@pytest.mark.parametrize(
    ("language", "label"),
    [
        (
            "ru",
            "Страна, указанная вместе с вашим адресом электронной почты, из-за которой мы "
            "проявляем особую осторожность Беларусь",
        ),
        (
            "be",
            "Краіна, пазначаная разам з вашым адрасам электроннай пошты, праз якую мы "
            "праяўляем асаблівую асцярожнасць Беларусь",
        ),
        (
            "de",
            "Ein mit Ihrer E-Mail-Adresse angegebenes Land, bei dem wir besonders vorsichtig "
            "sind Belarus",
        ),
    ],
)
def test_the_privacy_page_names_it_in_the_readers_language(client, language, label):
    known("DE")
    send(client, VIDEO, "BY")
    assert label in open_privacy_page(client, language)


def test_a_supporter_who_never_gave_one_sees_no_such_line(client):
    known("DE")
    send(client, VIDEO, "PL")
    assert LABEL not in open_privacy_page(client, "en")


def test_erasure_deletes_it_with_the_row(client):
    known("DE")
    send(client, VIDEO, "BY")
    supporter = Supporter.objects.get()
    assert supporter.gave_dangerous_country == "BY"
    supporter.erase()
    column = connection.ops.quote_name(Supporter._meta.get_field("gave_dangerous_country").column)
    table = connection.ops.quote_name(Supporter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - our own names
        assert cursor.fetchall() == []


def statements_of(client, form: tuple[str, dict], country: str, email: str, ip: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        send(client, form, country, email=email, ip=ip)
    return len(queries)


@pytest.mark.parametrize("form", [SUBSCRIBE, VIDEO], ids=["subscribe", "video"])
def test_a_form_runs_as_many_statements_whatever_the_address_and_country(client, form):
    # Warm the caches a first request fills (the marked countries, the content's version…).
    send(client, form, "DE", email="first@example.org", ip="10.0.0.1")
    Supporter.get_or_create_for_email("known@example.org", country="DE")[0].mark_confirmed()
    counts = {
        "a new address, a safe country": statements_of(
            client, form, "DE", "new@example.org", "10.0.0.2"
        ),
        "a new address, a marked country": statements_of(
            client, form, "BY", "new-by@example.org", "10.0.0.3"
        ),
        "a known address, a marked country it did not give": statements_of(
            client, form, "BY", "known@example.org", "10.0.0.4"
        ),
    }
    assert len(set(counts.values())) == 1, counts
    assert Supporter.objects.for_email("known@example.org").gave_dangerous_country == "BY"
