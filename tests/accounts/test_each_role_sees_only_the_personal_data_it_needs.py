"""Each role sees only the supporters' personal data its work needs.

One supporter with values found nowhere else writes a letter (and answers whether it got a
reply), registers for an event, hosts an action, sends a video, an endorsement and a report, and
agrees to hear from a partner; a mailing and a recipient's reply with its document wait in the
admin. Then every admin page (index, app
pages, change lists, the change, history and delete pages of every object, each admin's own
URLs) and every organiser page outside the admin is opened as each role, and no page may show
a value the role must not see. The administrator must find every value somewhere, or the walk
proves nothing.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from picketline.accounts.roles import (
    ADMINISTRATOR,
    MODERATOR,
    ORGANISER,
    PARTNER_STAFF,
    VIEWER,
    ensure_roles,
)
from picketline.dashboard.figures import FIGURES, MODERATION
from picketline.events.models import HostedAction, HostedReport, Registration
from picketline.letters.models import Delivery, LetterAction, Reply
from picketline.letters.replies import record_answer
from picketline.mailings.models import Mailing, MailingVersion
from picketline.partners.models import Partner, PartnerMembership
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage
from picketline.supporters.models import Consent, Subscription, Supporter
from tests.events.helpers import online_meeting
from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db

IDENTITY = {"Wenzeslava Quirinova", "wenzeslava.quirinova@example.net"}
# The letter writer's country (Letter.country, encrypted at rest), as a page shows it in an
# element of its own: the two letters alone are in any page's tokens. Counts by country (the
# dashboard, the action's coverage) name it with the country's name, not like this.
LETTER_COUNTRY = "IS"
LETTER = {
    f">{LETTER_COUNTRY}<",
    "Quirin Bargemen Guild",
    "Quirin deputy",
    "My aunt Quirinova was arrested in Lida.",
    # The writer's answer to "did your letter get a reply?", in their words.
    "The Quirin embassy phoned my union.",
    # A recipient's reply recorded by an organiser: it names the writers.
    "The embassy of Quirinia thanks the writers.",
}
# What a registrant told the organisers about themselves.
REGISTERED = {"Quirin Dockers Union", "A Quirin sign interpreter"}
# What a host proposed or reported: the moderator reviews it, the viewer never reads it.
HOSTED = {
    "Quirin vigil at the kiosk",
    "Bring Quirin lanterns.",
    "Behind Quirin kiosk 17",
    "Forty-one Quirin lanterns were lit.",
}
# The host's private contact, which no review needs.
HOST_CONTACT = {"Signal +48 600 417 417"}
SUBMITTED = {
    "Quirin video greeting",
    "https://video.example/quirin-417",
    "Wenzeslava Q., Poland",
    "The Quirin bargemen stand with you.",
    "Quirin report of the picket.",
}
# Kept for the supporter's own data request, shown on no organiser page at all.
NOT_SHOWN = {"Quirin press officer"}

# What each role must never see. The organiser runs the campaign and sees it all. A partner's
# staff see the supporters who agreed to hear from their partner, nothing else (the walker works
# for another partner than the one the supporter chose; see the test of the right partner).
FORBIDDEN = {
    ADMINISTRATOR: set(),
    ORGANISER: set(),
    MODERATOR: IDENTITY | REGISTERED | LETTER | HOST_CONTACT | NOT_SHOWN,
    VIEWER: IDENTITY | REGISTERED | LETTER | HOSTED | HOST_CONTACT | SUBMITTED | NOT_SHOWN,
    PARTNER_STAFF: IDENTITY | REGISTERED | LETTER | HOSTED | HOST_CONTACT | SUBMITTED | NOT_SHOWN,
}
EVERY_VALUE = IDENTITY | REGISTERED | LETTER | HOSTED | HOST_CONTACT | SUBMITTED
# What each role's review must show, or it could not decide.
MUST_SEE = {MODERATOR: HOSTED | SUBMITTED}

# Custom admin URLs that take arguments; each is opened below, or says why not.
ADMIN_URLS_WITH_ARGUMENTS = {
    "submissions_decision_original",  # opened with the video's number
    "submissions_decision_decide",  # answers GET with a redirect to the queue: POST only
}
STANDARD_SUFFIXES = ("_changelist", "_add", "_change", "_delete", "_history")


@pytest.fixture
def world():
    """Everything one supporter can leave with the campaign."""
    name, email = sorted(IDENTITY, key=lambda value: "@" in value)
    supporter, _ = Supporter.get_or_create_for_email(email, name=name, language="en")
    embassy = target("Embassy of Belarus in Poland", "PL")
    action = letter_action(fixed=[embassy], targeting=LetterAction.Targeting.FIXED)
    letter = confirmed_letter(
        action,
        email=email,
        name=name,
        country=LETTER_COUNTRY,
        organisation="Quirin Bargemen Guild",
        role="Quirin deputy",
        personal_paragraph="My aunt Quirinova was arrested in Lida.",
    )
    event = online_meeting(registration_required=True)
    registration = Registration.objects.create(
        event=event,
        supporter=supporter,
        language="en",
        status=Registration.Status.PENDING,
        organisation="Quirin Dockers Union",
        accessibility_needs="A Quirin sign interpreter",
    )
    registration.confirm()
    vilnius = ZoneInfo("Europe/Vilnius")
    hosted = HostedAction.objects.create(
        supporter=supporter,
        title="Quirin vigil at the kiosk",
        description="Bring Quirin lanterns.",
        country="LT",
        city="Vilnius",
        place="Behind Quirin kiosk 17",
        latitude=Decimal("54.6872"),
        longitude=Decimal("25.2797"),
        starts_at=datetime(2030, 4, 19, 12, tzinfo=vilnius),
        ends_at=datetime(2030, 4, 19, 13, tzinfo=vilnius),
        time_zone="Europe/Vilnius",
        expected_size=10,
        contact="Signal +48 600 417 417",
    )
    hosted.confirm()
    HostedReport.objects.create(
        hosted_action=hosted, participants=41, text="Forty-one Quirin lanterns were lit."
    )
    video = VideoMessage.objects.create(
        supporter=supporter,
        text="Quirin video greeting",
        display_name=VideoMessage.DisplayName.FIRST_AND_COUNTRY,
        public_name="Wenzeslava Q., Poland",
        link="https://video.example/quirin-417",
    )
    endorsement = Endorsement.objects.create(
        supporter=supporter,
        organisation="Bargemen of Gdansk",
        country="Poland",
        kind=Endorsement.Kind.UNION,
        statement="The Quirin bargemen stand with you.",
        contact_role="Quirin press officer",
    )
    report = ActionReport.objects.create(
        supporter=supporter,
        kind=ActionReport.Kind.PICKET,
        country="Poland",
        happened_on=date(2024, 4, 19),
        title="Picket in Gdansk",
        text="Quirin report of the picket.",
    )
    for item in (video, endorsement, report):
        item.confirm()
    delivery = Delivery.objects.filter(action=action, target=embassy).first()
    assert delivery is not None, "the letter should be on its way to the embassy"
    record_answer(letter, Reply.Answer.YES, "The Quirin embassy phoned my union.")
    recorded = Reply.objects.create(
        action=action, target=embassy, text="The embassy of Quirinia thanks the writers."
    )
    recorded.keep_document(ContentFile(b"%PDF-1.4 Quirin reply"), "pdf")
    recorded.save()
    partner = Partner.objects.create(name="Quirin Solidarity", slug="quirin-solidarity")
    Partner.objects.create(name="Another union", slug="another-union")
    subscription = Subscription.objects.create(supporter=supporter, language="en")
    Consent.record(
        supporter,
        Consent.Purpose.PARTNER_UPDATES,
        "Keep me informed about Quirin Solidarity",
        "en",
        "/en/me/keep-me-informed/",
        partner=partner,
        action=subscription,
    )
    subscription.confirm()
    for sender in (None, partner):
        mailing = Mailing.objects.create(title=f"News from {sender or 'us'}", partner=sender)
        MailingVersion.objects.create(mailing=mailing, subject="News", body="Hello {name}.")
    return {
        "letter": letter,
        "action": action,
        "target": embassy,
        "event": event,
        "video": video,
        "registration": registration,
        "reply": recorded,
    }


def shown_text(response) -> str:
    """What a person would read in the response: the page, or the text of a PDF."""
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if response.get("Content-Type", "").startswith("application/pdf") and b"%%EOF" in body:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    # Anything else, a stored document that only starts like a PDF included, as it came.
    return body.decode(errors="replace")


def admin_urls() -> list[str]:
    """Every page of the admin that a GET opens, for every object in the database."""
    urls = [reverse("admin:index")]
    labels = set()
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        app, name = model._meta.app_label, model._meta.model_name
        labels.add(app)
        urls.append(reverse(f"admin:{app}_{name}_changelist"))
        pks = list(model._default_manager.values_list("pk", flat=True))
        for pk in pks:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"admin:{app}_{name}_{view}", args=[pk]))
        for pattern in model_admin.get_urls():
            url_name = pattern.name or ""
            if not url_name or url_name.endswith(STANDARD_SUFFIXES):
                continue
            if url_name in ADMIN_URLS_WITH_ARGUMENTS:
                continue
            try:
                urls.append(reverse(f"admin:{url_name}"))
            except NoReverseMatch:
                # A page per object (a device's QR code…): opened for each of them.
                urls += [reverse(f"admin:{url_name}", args=[pk]) for pk in pks]
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(labels)]
    return urls


def organiser_urls(world) -> list[str]:
    event = world["event"]
    return [
        reverse("admin:submissions_decision_original", args=[world["video"].pk]),
        reverse("letters:organiser_pdf", kwargs={"letter_id": world["letter"].pk}),
        reverse(
            "letters:target_bundle_pdf",
            kwargs={"action_id": world["action"].pk, "target_id": world["target"].pk},
        ),
        reverse("events:organise", args=[event.slug]),
        reverse("events:counts", args=[event.slug]),
        reverse("events:export", args=[event.slug]),
        reverse("events:message", args=[event.slug]),
        reverse("events:organise_hosted"),
        reverse("events:check_in_desk", args=[event.slug]) + "?q=wenzeslava",
        reverse("events:check_in_code", args=[event.slug, world["registration"].check_in_code()]),
        reverse("dashboard:figures"),
        reverse("dashboard:moderation"),
        *(reverse("dashboard:csv", args=[name]) for name in [*FIGURES, MODERATION]),
    ]


def walk(client, world) -> dict[str, str]:
    pages = {}
    for url in admin_urls() + organiser_urls(world):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        pages[url] = shown_text(response) if response.status_code == 200 else ""
    return pages


def user_with_role(role: str, partner: str = "another-union"):
    ensure_roles()
    user = make_staff(f"{role}-walker", superuser=False, groups=[role])
    if role == PARTNER_STAFF:
        PartnerMembership.objects.create(user=user, partner=Partner.objects.get(slug=partner))
    return user


@pytest.mark.parametrize("role", [MODERATOR, VIEWER, ORGANISER, PARTNER_STAFF])
def test_no_page_shows_a_role_what_it_must_not_see(client, world, role):
    login_verified(client, user_with_role(role))
    for url, text in walk(client, world).items():
        seen = {value for value in FORBIDDEN[role] if value in text}
        assert not seen, f"{role} sees {sorted(seen)} on {url}"


def test_the_moderator_finds_everything_it_reviews(client, world):
    login_verified(client, user_with_role(MODERATOR))
    everything = "\n".join(walk(client, world).values())
    assert {value for value in MUST_SEE[MODERATOR] if value not in everything} == set()


def test_the_administrator_finds_every_value_so_the_walk_looks_in_the_right_places(client, world):
    login_verified(client, user_with_role(ADMINISTRATOR))
    everything = "\n".join(walk(client, world).values())
    assert {value for value in EVERY_VALUE if value not in everything} == set()


def test_the_organiser_reads_the_letters_with_their_writers(client, world):
    login_verified(client, user_with_role(ORGANISER))
    pdf = client.get(reverse("letters:organiser_pdf", kwargs={"letter_id": world["letter"].pk}))
    assert pdf.status_code == 200
    assert "Wenzeslava Quirinova" in shown_text(pdf)


@pytest.mark.parametrize("role", [MODERATOR, VIEWER])
def test_moderators_and_viewers_may_not_open_the_letters(client, world, role):
    login_verified(client, user_with_role(role))
    url = reverse("letters:organiser_pdf", kwargs={"letter_id": world["letter"].pk})
    assert client.get(url).status_code == 403
    assert (
        not get_user_model()
        .objects.get(username=f"{role}-walker")
        .has_perm("letters.read_letters_with_writers")
    )


def test_a_partners_staff_see_their_own_contacts_and_nothing_else_of_them(client, world):
    login_verified(client, user_with_role(PARTNER_STAFF, partner="quirin-solidarity"))
    pages = walk(client, world)
    everything = "\n".join(pages.values())
    assert "wenzeslava.quirinova@example.net" in everything, "the walk should reach the contacts"
    forbidden = REGISTERED | LETTER | HOSTED | SUBMITTED | NOT_SHOWN
    for url, text in pages.items():
        seen = {value for value in forbidden if value in text}
        assert not seen, f"partner staff see {sorted(seen)} on {url}"


@pytest.mark.parametrize("role", [MODERATOR, VIEWER, PARTNER_STAFF, None])
def test_only_organisers_open_a_replys_document(client, world, role):
    url = reverse("admin:letters_reply_document", args=[world["reply"].pk])
    if role is not None:
        login_verified(client, user_with_role(role))
    response = client.get(url)
    assert response.status_code in (302, 403), role
    assert b"Quirin reply" not in response.content

    client.logout()
    login_verified(client, user_with_role(ORGANISER))
    opened = client.get(url)
    assert opened.status_code == 200
    assert b"Quirin reply" in b"".join(opened.streaming_content)
