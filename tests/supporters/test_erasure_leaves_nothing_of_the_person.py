"""After erasure, a scan of every table (decrypting what is encrypted) and of every stored file
finds nothing of the person: not their name, not their address in any case, not anything they
typed. Built as a real supporter would leave traces: letters (one sent, one waiting in a
digest, with a copy to themselves), a registration holding a seat, a video, an endorsement, an
action report with a photo, an action they proposed to hold and one they held and reported on
with a photo and wrote to those who signed up (the mails, and the message as written),
consents, and the confirmation mails of each."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models

from picketline.events.models import HostedAction, HostedReport, HostMessage, Registration
from picketline.events.models.hosted import HOST_MESSAGE_KIND
from picketline.events.models.hosted import ReportPhoto as HostedPhoto
from picketline.letters import sending
from picketline.letters.models import Letter, LetterAction, Role
from picketline.mail import outbox
from picketline.mail.models import MailboxMessage, OutgoingMessage
from picketline.submissions import storage
from picketline.submissions.models import ReportPhoto, private_files
from picketline.supporters import flow
from picketline.supporters.models import Consent, Supporter
from tests.events.helpers import confirmed_registration, messages_to, online_meeting
from tests.fixtures.media import use_media_folders
from tests.letters.helpers import letter_action, target
from tests.submissions.helpers import (
    make_endorsement,
    make_report,
    make_video_message,
    png_bytes,
)

pytestmark = pytest.mark.django_db

NAME = "Zofia Quillfeather"
EMAIL = "Zofia.Quillfeather@Example.net"
# Everything else the person typed somewhere, each unlike anything else in the database.
TYPED = {
    "phone": "+48 22 555 0173",
    "letter organisation": "Inkpot Workers Union",
    "letter role": "nib steward",
    "personal paragraph": "My uncle worked at the Grodno azot plant",
    "registration organisation": "Parchment Guild",
    "interpretation needs": "into Kashubian please",
    "accessibility needs": "a quiet room by the window",
    "browser time zone": "Pacific/Chatham",
    "video text": "Greetings from Vellum Street",
    "video name": "Zofia from Gdansk",
    "video link": "https://video.example/watch/zq-4471",
    "hashtags": "#VellumSolidarity",
    "endorsement contact's role": "press officer of the vellum guild",
    "report title": "Picket at the Sepia gate",
    "report text": "We stood with Marek Umbrawicz at the gate",
    "report group": "Sepia circle",
    "report partner": "Umbra Trading GmbH",
    "hosted title": "Lantern walk past the Quire bridge",
    "hosted description": "Meet me by the blue kiosk at the Quire bridge",
    "hosted city": "Szczecinek",
    "hosted place": "Plac Atramentowy 7",
    "hosted contact": "Threema ZQ44X7LM",
    "held contact": "call the vellum hotline 0171 5550199",
    "held report": "Nineteen came to the Foliant steps with candles",
    "host's subject": "Chalk for the Foliant steps",
    "host's message": "Bring chalk, ask for Zofia at the Foliant steps",
}
# Copied into the event published from the host's action; mail sent to those who signed up
# carries the event's description (beyond our reach once sent), so only the test that sends
# none looks for it.
HELD_DESCRIPTION = "Zofia hands out the candles by the Foliant steps"
NEEDLES = [NAME, "Quillfeather", EMAIL, *TYPED.values()]


@pytest.fixture(autouse=True)
def stored_files(settings, tmp_path):
    use_media_folders(settings, tmp_path)
    # The demo's local mailbox keeps a copy of every message "sent": it must be scanned too.
    settings.EMAIL_BACKEND = "picketline.mail.backends.LocalMailboxBackend"


def every_stored_text() -> str:
    """Every text, character and JSON column of every row of every model, read through the
    ORM (so encrypted columns come back decrypted), as one lower-case text."""
    chunks: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        names = [field.attname for field in fields]
        for row in model._base_manager.values_list(*names):
            for value in row:
                if value in (None, ""):
                    continue
                chunks.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(chunks).lower()


def every_stored_file() -> dict[Path, str]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.SUBMISSIONS_PRIVATE_ROOT)]
    return {
        path: path.read_bytes().decode("latin-1").lower()
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    }


def found(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle.lower() in text]


def confirmed_with_mail(action) -> None:
    flow.request_confirmation(action)
    action.confirm()


def hosted_action(supporter: Supporter, **fields) -> HostedAction:
    values = {
        "supporter": supporter,
        "language": "en",
        "title": "Vigil at the embassy",
        "country": "PL",
        "city": "Warsaw",
        "place": "In front of the embassy",
        "latitude": Decimal("52.2101"),
        "longitude": Decimal("21.0343"),
        "starts_at": datetime(2024, 4, 19, 10, tzinfo=UTC),
        "ends_at": datetime(2024, 4, 19, 11, tzinfo=UTC),
        "time_zone": "Europe/Warsaw",
        "expected_size": 20,
    }
    action = HostedAction.objects.create(**(values | fields))
    confirmed_with_mail(action)
    return action


def leave_every_trace() -> tuple[Supporter, list[Path]]:
    supporter, _ = Supporter.get_or_create_for_email(EMAIL, name=NAME, phone=TYPED["phone"])
    page = "/en/letters/release/"

    # A letter sent at once, with a copy to the writer.
    embassy = target("Embassy of Belarus", "DE", Role.EMBASSY_OF_BELARUS)
    single = letter_action(fixed=[embassy])
    sent = Letter.objects.create(
        action=single,
        supporter=supporter,
        country="DE",
        organisation=TYPED["letter organisation"],
        role=TYPED["letter role"],
        personal_paragraph=TYPED["personal paragraph"],
        send_copy=True,
    )
    Consent.record(
        supporter, Consent.Purpose.SEND_IN_MY_NAME, "in my name", "en", page, action=sent
    )
    confirmed_with_mail(sent)
    sending.queue_due()
    while outbox.send_due():
        pass
    assert OutgoingMessage.objects.get(kind="letter").status == OutgoingMessage.Status.SENT

    # A letter for today's digest (written below, not sent yet), beside someone else's.
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    digest = letter_action(
        slug="digest", fixed=[ministry], sending_policy=LetterAction.SendingPolicy.DIGEST
    )
    waiting = Letter.objects.create(
        action=digest,
        supporter=supporter,
        country="DE",
        organisation=TYPED["letter organisation"],
        personal_paragraph=TYPED["personal paragraph"],
    )
    Consent.record(
        supporter, Consent.Purpose.SEND_IN_MY_NAME, "in my name", "en", page, action=waiting
    )
    confirmed_with_mail(waiting)
    other, _ = Supporter.get_or_create_for_email("bo@example.org", name="Bo Keller")
    others = Letter.objects.create(action=digest, supporter=other, country="DE")
    Consent.record(other, Consent.Purpose.SEND_IN_MY_NAME, "in my name", "en", page, action=others)
    others.confirm()

    # A seat at an online meeting, someone else on the waitlist behind.
    event = online_meeting(capacity=1)
    registration = Registration.objects.create(
        event=event,
        supporter=supporter,
        organisation=TYPED["registration organisation"],
        interpretation_needs=TYPED["interpretation needs"],
        accessibility_needs=TYPED["accessibility needs"],
        time_zone=TYPED["browser time zone"],
    )
    confirmed_with_mail(registration)
    confirmed_registration(event, "waiting@example.org")

    # A video, an endorsement, a report with a photo; their files on disk.
    video = make_video_message(
        supporter=supporter,
        text=TYPED["video text"],
        public_name=TYPED["video name"],
        link=TYPED["video link"],
        hashtags=TYPED["hashtags"],
    )
    original = private_files().save(
        "originals/erased.mov", ContentFile(f"a video of {NAME}".encode())
    )
    video.original = original
    video.save()
    confirmed_with_mail(video)
    endorsement = make_endorsement(
        supporter=supporter, contact_role=TYPED["endorsement contact's role"]
    )
    confirmed_with_mail(endorsement)
    report = make_report(
        supporter=supporter,
        title=TYPED["report title"],
        text=TYPED["report text"],
        group_name=TYPED["report group"],
        business_partner=TYPED["report partner"],
    )
    photo = storage.save_public("photos", png_bytes(), "png")
    ReportPhoto.objects.create(report=report, file=photo, width=40, height=30)
    confirmed_with_mail(report)

    # An action proposed, not decided on yet; another held, published as an event (the
    # organisers' page: its title and place stay, the host's description goes), reported on
    # with a photo.
    hosted_action(
        supporter,
        title=TYPED["hosted title"],
        description=TYPED["hosted description"],
        city=TYPED["hosted city"],
        place=TYPED["hosted place"],
        contact=TYPED["hosted contact"],
    )
    held = hosted_action(supporter, contact=TYPED["held contact"])
    event = held.approve()
    guest = confirmed_registration(event, "guest@example.org")
    # Written the day before the action: a host writes until the registrants' links die.
    with time_machine.travel(held.starts_at - timedelta(days=1)):
        held.write_to_those_signed_up(TYPED["host's subject"], TYPED["host's message"])
    assert messages_to(guest.supporter.email, HOST_MESSAGE_KIND)
    held_report = HostedReport.objects.create(
        hosted_action=held,
        participants=19,
        text=TYPED["held report"],
        status=HostedReport.Status.APPROVED,
    )
    held_photo = HostedPhoto.store(held_report, png_bytes())

    while outbox.send_due():
        pass
    assert sending.send_digests() == 1  # queued, not sent yet
    files = [
        Path(settings.SUBMISSIONS_PRIVATE_ROOT) / original,
        Path(settings.MEDIA_ROOT) / "submissions" / photo,
        Path(held_photo.image.path),
    ]
    return supporter, files


def test_a_scan_of_every_table_and_file_finds_nothing_of_an_erased_person(
    django_capture_on_commit_callbacks,
):
    supporter, files = leave_every_trace()
    # The scan sees the person before erasure: everything they typed, their name in the
    # outbox and the local mailbox, the files they sent.
    assert found(every_stored_text()) == NEEDLES
    assert MailboxMessage.objects.exists()
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        supporter.erase()

    assert found(every_stored_text()) == []
    leftovers = {path: found(text) for path, text in every_stored_file().items()}
    assert {path: needles for path, needles in leftovers.items() if needles} == {}
    assert not any(path.exists() for path in files)
    # Not even when and to how many the host wrote.
    assert not HostMessage.objects.exists()
    # What others did stays: Bo's letter waits for the next digest, the waiting registrant
    # is offered the freed seat.
    assert sending.send_digests() == 1
    assert "Bo Keller" in OutgoingMessage.objects.get(kind="letter-digest").body_text
    waiting = Registration.objects.get(supporter__isnull=False, event__hosted_action__isnull=True)
    assert waiting.status == "offered"


def test_the_retention_job_leaves_nothing_either(settings, django_capture_on_commit_callbacks):
    from picketline.supporters import retention

    leave_every_trace()
    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2000-01-01"
    everyone = Supporter.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.erase_after_campaign() == everyone
    assert not Supporter.objects.exists()
    assert found(every_stored_text()) == []
    assert not [path for path, text in every_stored_file().items() if found(text)]


def test_an_erased_host_s_proposal_leaves_the_review_and_their_report_the_site(
    client, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission, User

    supporter, _ = Supporter.get_or_create_for_email(EMAIL, name=NAME)
    proposed = hosted_action(supporter, contact=TYPED["hosted contact"])
    held = hosted_action(supporter, contact=TYPED["held contact"], description=HELD_DESCRIPTION)
    event = held.approve()
    report = HostedReport.objects.create(
        hosted_action=held, participants=19, text=TYPED["held report"], status="approved"
    )
    photo = Path(HostedPhoto.store(report, png_bytes()).image.path)
    reviewer = User.objects.create_user("reviewer", password="x" * 12, is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_hostedaction"))
    client.force_login(reviewer)
    queue = "/en/events/organise/hosted/"
    assert (
        f"/en/events/organise/hosted/{proposed.pk}/approve/" in client.get(queue).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        supporter.erase()

    proposed.refresh_from_db()
    assert proposed.status == HostedAction.Status.WITHDRAWN
    assert (proposed.title, proposed.contact, proposed.latitude) == ("", "", None)
    # Gone from the review; nobody can publish or decline it any more, here or in the admin.
    assert f"/hosted/{proposed.pk}/" not in client.get(queue).content.decode()
    for decision in ("approve", "decline"):
        answer = client.post(
            f"/en/events/organise/hosted/{proposed.pk}/{decision}/", {"reason": "r"}
        )
        assert answer.status_code == 404
    with pytest.raises(ValueError):
        proposed.approve()
    # The report and its photo are off the site; the event the organisers published stays.
    assert not HostedReport.objects.exists() and not photo.exists()
    assert TYPED["held report"] not in client.get("/en/events/hosted/").content.decode()
    event.refresh_from_db()
    assert event.published and event.title == "Vigil at the embassy"
    assert (event.description_en, event.description) == ("", "")
    assert HELD_DESCRIPTION.lower() not in every_stored_text()


@pytest.mark.parametrize("store", ["database", "redis"])
def test_no_rate_limit_counter_keyed_by_an_erased_address_stays(settings, store):
    """The limits count per address by its blind index; erasing the address deletes those
    counters in every scope and window, where they would otherwise wait for their window's
    end and the worker's purge."""
    from django.core.cache import caches
    from django.test import RequestFactory

    from picketline.supporters import abuse
    from picketline.web import limits
    from picketline.web.fields import email_index
    from picketline.web.models import Counter

    if store == "redis":
        settings.REDIS_URL = "redis://127.0.0.1:6379/0"
        settings.CACHES = {
            **settings.CACHES,
            limits.ALIAS: {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": settings.REDIS_URL,
                "KEY_PREFIX": f"test-erasure-{uuid.uuid4().hex}",
            },
        }
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    supporter, _ = Supporter.get_or_create_for_email(EMAIL, name=NAME)
    other = "someone.else@example.org"
    start = time.time()
    for scope in abuse.ADDRESS_SCOPES:
        # A window ago and now: both may still be held when the erasure comes.
        with time_machine.travel(start - 3600, tick=False):
            abuse.rate_limited(request, scope, email=EMAIL)
        abuse.rate_limited(request, scope, email=EMAIL)
        abuse.rate_limited(request, scope, email=other)

    def held(address: str) -> int:
        index = email_index(address)
        if store == "database":
            return Counter.objects.filter(key__contains=index).count()
        store_ = caches[limits.ALIAS]
        number = int(time.time() // 3600)
        keys = [
            f"rl:{scope}:e:{index}:{window}"
            for scope in abuse.ADDRESS_SCOPES
            for window in (number, number - 1)
        ]
        return len(store_.get_many(keys))

    scopes = len(abuse.ADDRESS_SCOPES)
    assert held(EMAIL) == 2 * scopes and held(other) == scopes
    supporter.erase()
    assert held(EMAIL) == 0
    assert held(other) == scopes  # someone else's counters keep counting
    with pytest.raises(ValueError, match="ADDRESS_SCOPES"):
        abuse.rate_limited(request, "a-scope-nobody-named", email=EMAIL)
