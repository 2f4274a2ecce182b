"""Withdrawing a consent on the privacy page stops at once everything that rests on it, and the
page says what withdrawing each consent does before the button is pressed.

Every sentence of ``supporters.withdrawal.effect`` is proven here: the letters in the
supporter's name stop (waiting, in the outbox, or listed in a daily digest not sent yet), the
name comes off the page, the video comes down and its files go, and the video moderators are
told to take it down from the campaign's channels."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from picketline.letters import sending
from picketline.letters.models import Delivery, Letter, LetterAction, Role
from picketline.mail.models import OutgoingMessage
from picketline.partners.models import Partner
from picketline.submissions.models import Status, VideoMessage, public_files, public_name
from picketline.supporters import flow, withdrawal
from picketline.supporters.models import Consent, Subscription, Supporter
from tests.fixtures.media import use_media_folders
from tests.letters.helpers import confirmed_letter, letter_action, target
from tests.letters.test_sending_policy import run_minutes
from tests.submissions.helpers import make_moderator, make_video_message

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def media_dirs(settings, tmp_path):
    use_media_folders(settings, tmp_path)


def open_privacy_page(client, supporter: Supporter) -> None:
    token = flow.privacy_token(supporter)
    response = client.post(reverse("supporters:privacy_open", args=[token]))
    assert response.status_code == 302


def withdraw(client, consent: Consent) -> None:
    response = client.post(reverse("supporters:withdraw", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def send_in_my_name(letter: Letter) -> Consent:
    return Consent.objects.for_action(letter).get(purpose=Consent.Purpose.SEND_IN_MY_NAME)


def from_names(messages) -> list[str]:
    return [m["From"].addresses[0].display_name for m in messages]


def test_withdrawing_send_in_my_name_stops_letters_waiting_and_in_the_outbox(client, smtp_server):
    embassy = target("Embassy of Belarus", "DE", emails=["embassy@example.org"])
    release = letter_action("release", fixed=[embassy])
    access = letter_action("access", fixed=[embassy])
    anna = "anna@example.net"
    # One letter already in the outbox, one still waiting for its turn; and someone else's.
    queued = confirmed_letter(release, email=anna, name="Anna Schmidt")
    sending.queue_due()
    assert queued.deliveries.get().status == Delivery.Status.QUEUED
    waiting = confirmed_letter(access, email=anna, name="Anna Schmidt")
    confirmed_letter(release, email="bernd@example.net", name="Bernd Weiter")

    open_privacy_page(client, queued.supporter)
    withdraw(client, send_in_my_name(queued))
    withdraw(client, send_in_my_name(waiting))
    run_minutes(MORNING, 60, step=10)

    received = smtp_server.to("embassy@example.org")
    assert from_names(received) == ["Bernd Weiter"]
    assert all(anna not in str(m["Reply-To"]) for m in received)
    statuses = Delivery.objects.filter(letter__in=[queued, waiting]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {Delivery.Status.CANCELLED}
    assert not OutgoingMessage.objects.filter(kind="letter", status=OutgoingMessage.Status.QUEUED)


def test_a_digest_not_sent_yet_goes_without_the_name_of_who_withdrew(client, smtp_server):
    ministry = target(
        "Ministry of Labour",
        "DE",
        Role.LABOUR_MINISTRY,
        time_zone="Europe/Berlin",
        emails=["digest@example.org"],
    )
    action = letter_action(
        fixed=[ministry],
        sending_policy=LetterAction.SendingPolicy.DIGEST,
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    anna = confirmed_letter(action, email="anna@example.net", name="Anna Schmidt")
    confirmed_letter(action, email="bernd@example.net", name="Bernd Weiter")
    with time_machine.travel(MORNING, tick=False):
        assert sending.send_digests() == 1  # written, in the outbox, not sent yet

    open_privacy_page(client, anna.supporter)
    withdraw(client, send_in_my_name(anna))
    run_minutes(MORNING, 30, step=10)

    (digest,) = smtp_server.to("digest@example.org")
    body = digest.get_content()
    assert "Bernd Weiter" in body
    assert "Anna Schmidt" not in body
    assert "anna@example.net" not in body
    assert digest["Subject"].startswith("Today 1 person wrote to you")
    assert anna.deliveries.get().status == Delivery.Status.CANCELLED


def test_a_digest_that_held_only_the_withdrawn_letter_does_not_go(client, smtp_server):
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY, emails=["d@example.org"])
    action = letter_action(fixed=[ministry], sending_policy=LetterAction.SendingPolicy.DIGEST)
    anna = confirmed_letter(action, email="anna@example.net", name="Anna Schmidt")
    with time_machine.travel(MORNING, tick=False):
        assert sending.send_digests() == 1

    open_privacy_page(client, anna.supporter)
    withdraw(client, send_in_my_name(anna))
    run_minutes(MORNING, 30, step=10)

    assert smtp_server.to("d@example.org") == []
    assert not OutgoingMessage.objects.filter(kind="letter-digest")


def test_a_letter_whose_consent_was_withdrawn_before_confirming_goes_nowhere(client, smtp_server):
    embassy = target("Embassy of Belarus", "DE", emails=["embassy@example.org"])
    action = letter_action(fixed=[embassy])
    supporter, _ = Supporter.get_or_create_for_email("anna@example.net", name="Anna Schmidt")
    letter = Letter.objects.create(action=action, supporter=supporter, country="DE")
    consent = Consent.record(
        supporter, Consent.Purpose.SEND_IN_MY_NAME, "Send it", "en", "/", action=letter
    )

    open_privacy_page(client, supporter)
    withdraw(client, consent)
    assert letter.confirm()
    run_minutes(MORNING, 30, step=10)

    assert smtp_server.to("embassy@example.org") == []
    assert not letter.deliveries.exists()


def test_the_scheduler_sends_nothing_in_a_name_whose_consent_is_gone(smtp_server):
    """Even a delivery that withdrawal did not reach (a consent withdrawn by hand in the
    database, an older release) is cancelled, not sent."""
    embassy = target("Embassy of Belarus", "DE", emails=["embassy@example.org"])
    letter = confirmed_letter(letter_action(fixed=[embassy]))
    Consent.objects.for_action(letter).update(withdrawn_at=MORNING)

    run_minutes(MORNING, 30, step=10)

    assert smtp_server.to("embassy@example.org") == []
    assert letter.deliveries.get().status == Delivery.Status.CANCELLED


def test_withdrawing_publish_my_name_takes_the_name_off_the_page(
    client, django_capture_on_commit_callbacks
):
    action = letter_action(fixed=[target("Embassy of Belarus", "DE")])
    letter = confirmed_letter(action, name="Anna Listed")
    consent = Consent.record(
        letter.supporter,
        Consent.Purpose.PUBLISH_NAME,
        "Publish my name",
        "en",
        "/",
        action=letter,
        confirmed=True,
    )
    page = reverse("letters:action", args=[action.slug])
    assert "Anna Listed" in client.get(page).content.decode()

    open_privacy_page(client, letter.supporter)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(client, consent)

    assert "Anna Listed" not in client.get(page).content.decode()


def test_withdrawing_face_and_voice_takes_the_video_down_and_deletes_its_files(
    client, media_dirs, django_capture_on_commit_callbacks
):
    video = make_video_message(link="", public_name="Ana, Germany")
    files = {"video": "videos/ana.mp4", "poster": "posters/ana.jpg"}
    for name in files.values():
        public_files().save(public_name(name), ContentFile(b"published copy"))
    VideoMessage.objects.filter(pk=video.pk).update(
        status=Status.APPROVED,
        confirmed_at=MORNING,
        processing=VideoMessage.Processing.DONE,
        **files,
    )
    Consent.objects.for_action(video).update(confirmed_at=MORNING)
    videos_page = reverse("submissions:videos")
    assert "Ana, Germany" in client.get(videos_page).content.decode()

    moderator = make_moderator()

    open_privacy_page(client, video.supporter)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(client, Consent.objects.for_action(video).get())

    video.refresh_from_db()
    assert video.status == Status.WITHDRAWN  # at once, not at the next run of a job
    assert not any(public_files().exists(public_name(name)) for name in files.values())
    assert "Ana, Germany" not in client.get(videos_page).content.decode()
    assert client.get(reverse("submissions:video", args=[video.pk])).status_code == 404
    # It had been published: the organisers are told to take it down from the channels too.
    (told,) = OutgoingMessage.objects.filter(kind="video_withdrawn_by_sender")
    assert told.to == moderator.email and "channels" in told.subject


def test_the_privacy_page_says_what_withdrawing_each_consent_does_before_the_button(client):
    supporter, _ = Supporter.get_or_create_for_email("anna@example.net", name="Anna Schmidt")
    subscription = Subscription.objects.create(supporter=supporter)
    libereco = Partner.objects.create(name="Libereco", slug="libereco")
    for purpose in Consent.Purpose.values:
        Consent.record(
            supporter,
            purpose,
            f"wording of {purpose}",
            "en",
            "/",
            partner=libereco if purpose == Consent.Purpose.PARTNER_UPDATES else None,
            action=subscription,
            confirmed=True,
        )

    open_privacy_page(client, supporter)
    page = client.get(reverse("supporters:mine")).content.decode()

    consents_part = page[page.index('class="mine-consents"') :].split("</ul>\n<h2>")[0]
    items = consents_part.split("<li><strong>")[1:]
    assert len(items) == len(Consent.Purpose.values)
    for consent in supporter.consents.all():
        (item,) = [i for i in items if f"wording of {consent.purpose}" in i]
        item = item.replace("&#x27;", "'")  # an effect may name "the campaign's channels"
        said = consent.withdrawal_effect()
        assert said and said in item
        assert item.index(said) < item.index("Withdraw this consent")
    assert "Libereco" in withdrawal.effect(Consent.Purpose.PARTNER_UPDATES, "Libereco")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ru", "Письма, ещё не отправленные от вашего имени, сразу отменяются"),
        ("be", "Лісты, яшчэ не адпраўленыя ад вашага імя, адразу скасоўваюцца"),
        ("de", "Briefe, die noch nicht in Ihrem Namen verschickt wurden"),
    ],
)
def test_the_privacy_page_says_it_in_the_supporters_language(client, language, said):
    embassy = target("Embassy of Belarus", "DE")
    letter = confirmed_letter(letter_action(fixed=[embassy]))

    open_privacy_page(client, letter.supporter)
    with translation.override(language):
        page = client.get(reverse("supporters:mine")).content.decode()

    assert said in page
