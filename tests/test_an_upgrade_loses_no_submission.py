"""An upgrade loses nothing a supporter sent. A database at an earlier release's migrations,
holding what supporters sent through that release's schema, goes through the upgrade of
docs/deploy.md (web and worker stopped, `picketline migrate`, started again): every row is
still there and reads, text that release kept in clear is encrypted now, and the mail and
links that release queued or sent still work."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import getaddresses

import pytest
from django.apps import apps as current_apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from picketline.events.models import HostedAction, Registration
from picketline.letters import sending
from picketline.letters.models import Delivery, Letter
from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage
from picketline.supporters import flow
from picketline.supporters.models import Consent, Supporter
from picketline.web.fields import email_index
from tests.supporters.helpers import database_text, path_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The release before supporters' free text was encrypted at rest, countries became codes and
# the outbox's address index became rows (commit a74f535): each app's newest migration then.
EARLIER_RELEASE = [
    ("accounts", "0001_initial"),
    ("campaigns", "0001_initial"),
    ("events", "0003_registrations_hosted_actions"),
    ("jobs", "0001_initial"),
    ("letters", "0003_fewer_indexes"),
    ("mail", "0007_outgoing_address_indexes"),
    ("registers", "0001_initial"),
    ("submissions", "0002_alter_decision_action"),
    ("supporters", "0003_auditentry_moved_to_accounts"),
    ("web", None),
]

# What supporters typed that the earlier release stored in clear; none of it may stay so.
TYPED_IN_CLEAR = {
    "video": ("Freedom for Aliaksandr and every jailed unionist", "#solidarnasc", "https://social.example/@ana/1"),
    "endorsement": ("Our 4000 members stand with the Belarusian unions", "https://union.example.org"),
    "report": ("Picket at the embassy", "Forty of us stood outside for an hour", "Dockers' section"),
    "hosted": ("Vigil on the square", "Candles and the names of the prisoners", "Marktplatz 1"),
}  # fmt: skip

ANA = "ana.novak@example.org"
BORIS = "boris.lemeshka@example.org"


@pytest.fixture
def earlier_release():
    """The database at the earlier release; its models, as that release's schema had them.
    Brought to the newest migrations afterwards whatever the test did."""
    executor = MigrationExecutor(connection)
    executor.migrate(EARLIER_RELEASE)
    try:
        yield executor.loader.project_state(
            [target for target in EARLIER_RELEASE if target[1]]
        ).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


def upgrade() -> None:
    """Step 4 of docs/deploy.md's upgrade: `picketline migrate` (web and worker stopped)."""
    call_command("migrate", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


class EarlierRelease:
    """Writes rows as the earlier release did, through the models of its schema."""

    def __init__(self, apps):
        self.apps = apps

    def model(self, label: str):
        return self.apps.get_model(label)

    def supporter(self, email: str, **fields):
        return self.model("supporters.Supporter").objects.create(
            email=email, email_index=email_index(email), **fields
        )

    def consent(self, supporter, purpose: str, action, *, confirmed: bool):
        text = f"I agree: {purpose}"
        wording, _ = self.model("supporters.ConsentWording").objects.get_or_create(
            sha256=hashlib.sha256(f"en\0{text}".encode()).hexdigest(),
            defaults={"text": text, "language": "en"},
        )
        return self.model("supporters.Consent").objects.create(
            supporter=supporter,
            purpose=purpose,
            wording=wording,
            language="en",
            page="/en/",
            action_type=action._meta.label_lower,
            action_id=action.pk,
            confirmed_at=timezone.now() if confirmed else None,
        )

    def confirmation_mail(self, action, email: str, language: str):
        """Queued to be written by the worker when sent, as that release's forms queued it."""
        message = self.model("mail.OutgoingMessage")(
            to=email,
            subject="",
            body_text="",
            from_email="Campaign <campaign@example.org>",
            kind="confirmation",
            language=language,
            message_id=f"<{action.pk}.confirmation@example.org>",
            compose_with="confirmation",
            compose_ref=f"{action._meta.label_lower}:{action.pk}",
        )
        addresses = [a for _n, a in getaddresses([message.from_email, message.to]) if a]
        message.address_indexes = f" {' '.join(sorted(email_index(a) for a in addresses))} "
        message.save()
        return message


def counts(apps) -> dict[str, int]:
    labels = [
        "supporters.Supporter",
        "supporters.Consent",
        "supporters.Subscription",
        "letters.Letter",
        "events.Registration",
        "events.HostedAction",
        "submissions.VideoMessage",
        "submissions.Endorsement",
        "submissions.ActionReport",
        "mail.OutgoingMessage",
    ]
    return {label: apps.get_model(label).objects.count() for label in labels}


def write_with_the_earlier_release(old: EarlierRelease) -> dict[str, int]:
    """What supporters sent before the upgrade; returns the keys of the rows checked after."""
    target = old.model("letters.Target").objects.create(
        name="Embassy of Belarus", role="embassy_of_belarus", country="DE"
    )
    old.model("letters.TargetAddress").objects.create(target=target, email="embassy@example.org")
    action = old.model("letters.LetterAction").objects.create(
        slug="release",
        title="Release them",
        title_en="Release them",
        published=True,
        max_per_hour=1000,
    )
    action.fixed_targets.add(target)
    old.model("letters.LetterText").objects.create(
        action=action, language="de", subject="Freiheit", body="Sehr geehrte {recipient}, {name}"
    )
    event = old.model("events.Event").objects.create(
        slug="vigil",
        title="Online vigil",
        title_en="Online vigil",
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=1),
        capacity=30,
        registration_required=True,
        published=True,
    )

    # Ana wrote a letter and has not confirmed it yet: its confirmation mail waits in the
    # outbox, to be written when the worker sends it.
    ana = old.supporter(ANA, name="Ana Novak", country="Germany", language="de")
    letter = old.model("letters.Letter").objects.create(
        supporter=ana,
        action=action,
        language="de",
        country="DE",
        personal_paragraph="I was a shop steward myself.",
        body="Sehr geehrte Botschaft, lassen Sie sie frei. Ana Novak",
    )
    old.consent(ana, "send_in_my_name", letter, confirmed=False)
    old.confirmation_mail(letter, ANA, "de")

    # Boris confirmed his address long ago and sent one of everything; his registration for
    # the vigil is waiting for the link the earlier release mailed him.
    now = timezone.now()
    boris = old.supporter(BORIS, name="Boris Lemeshka", country="Belarus", confirmed_at=now)
    subscription = old.model("supporters.Subscription").objects.create(
        supporter=boris, confirmed_at=now
    )
    old.consent(boris, "organiser_updates", subscription, confirmed=True)
    registration = old.model("events.Registration").objects.create(
        supporter=boris, event=event, organisation="Free Trade Union of Belarus"
    )
    text, hashtags, link = TYPED_IN_CLEAR["video"]
    video = old.model("submissions.VideoMessage").objects.create(
        supporter=boris, confirmed_at=now, text=text, hashtags=hashtags, link=link
    )
    old.consent(boris, "publish_face_voice", video, confirmed=True)
    statement, website = TYPED_IN_CLEAR["endorsement"]
    endorsement = old.model("submissions.Endorsement").objects.create(
        supporter=boris,
        confirmed_at=now,
        organisation="Dockers' Union",
        country="NL",
        kind="union",
        statement=statement,
        website=website,
        contact_role="Secretary",
    )
    title, report_text, group = TYPED_IN_CLEAR["report"]
    report = old.model("submissions.ActionReport").objects.create(
        supporter=boris,
        confirmed_at=now,
        kind="picket",
        country="Netherlands",
        happened_on=date(2026, 11, 20),
        title=title,
        text=report_text,
        group_name=group,
    )
    title, description, place = TYPED_IN_CLEAR["hosted"]
    hosted = old.model("events.HostedAction").objects.create(
        supporter=boris,
        confirmed_at=now,
        title=title,
        description=description,
        country="DE",
        city="Leipzig",
        place=place,
        starts_at=datetime(2027, 1, 9, 17, tzinfo=UTC),
        ends_at=datetime(2027, 1, 9, 18, tzinfo=UTC),
        time_zone="Europe/Berlin",
        expected_size=20,
        contact="@boris on Signal",
    )
    return {
        "ana": ana.pk,
        "boris": boris.pk,
        "letter": letter.pk,
        "registration": registration.pk,
        "registration_link": flow.action_token(registration, flow.CONFIRM),
        "video": video.pk,
        "endorsement": endorsement.pk,
        "report": report.pk,
        "hosted": hosted.pk,
    }


def test_every_submission_survives_the_upgrade_reads_and_its_links_still_work(
    earlier_release, client
):
    old = EarlierRelease(earlier_release)
    keys = write_with_the_earlier_release(old)
    before = counts(earlier_release)
    assert TYPED_IN_CLEAR["video"][0] in database_text()  # that release kept it in clear

    upgrade()

    assert counts(current_apps) == before
    # Every row of every table loads and decrypts with the installation's keys.
    read = io.StringIO()
    call_command("restore_check", "--read-this-database", stdout=read)
    assert "unreadable" not in read.getvalue(), read.getvalue()

    ana = Supporter.objects.get(pk=keys["ana"])
    assert (ana.email, ana.name, ana.country, ana.language) == (ANA, "Ana Novak", "DE", "de")
    assert Supporter.objects.for_email(BORIS).country == "BY"  # free text became its code
    letter = Letter.objects.get(pk=keys["letter"])
    assert letter.personal_paragraph == "I was a shop steward myself."
    assert letter.country == "DE"
    video = VideoMessage.objects.get(pk=keys["video"])
    assert (video.text, video.hashtags, video.link) == TYPED_IN_CLEAR["video"]
    endorsement = Endorsement.objects.get(pk=keys["endorsement"])
    assert (endorsement.statement, endorsement.website) == TYPED_IN_CLEAR["endorsement"]
    report = ActionReport.objects.get(pk=keys["report"])
    assert (report.title, report.text, report.group_name) == TYPED_IN_CLEAR["report"]
    assert report.country == "NL"
    hosted = HostedAction.objects.get(pk=keys["hosted"])
    assert (hosted.title, hosted.description, hosted.place) == TYPED_IN_CLEAR["hosted"]
    assert hosted.contact == "@boris on Signal"

    # What the earlier release kept in clear is nowhere in clear now.
    stored = database_text()
    for typed in TYPED_IN_CLEAR.values():
        for value in typed:
            assert value not in stored

    # Boris's privacy page still gives him everything he sent.
    everything = str(Supporter.objects.get(pk=keys["boris"]).personal_data())
    for value in (*TYPED_IN_CLEAR["video"][:1], TYPED_IN_CLEAR["report"][0], "Secretary"):
        assert value in everything

    # The outbox still finds Ana's mail by her address (erasure needs it) ...
    [waiting] = OutgoingMessage.objects.involving([ANA])
    assert waiting.compose_with == "confirmation"
    # ... and the worker of the new version writes and sends it.
    assert send_due() == 1
    [confirmation] = [m for m in mail.outbox if m.to == [ANA]]
    confirm_url = re.search(r"https?://\S+/confirm/\S+", confirmation.body).group(0)
    assert client.post(path_of(confirm_url)).status_code == 302
    letter = Letter.objects.get(pk=keys["letter"])
    assert letter.is_confirmed
    assert Consent.objects.for_action(letter).get().confirmed_at is not None
    assert sending.write_confirmed_letters() == 1  # the worker's next sending run
    assert Delivery.objects.filter(letter=letter).count() == 1  # to the embassy

    # The link the earlier release mailed Boris confirms his registration and gives a seat.
    path = f"/en/me/confirm/{keys['registration_link']}/"
    assert client.post(path).status_code == 302
    registration = Registration.objects.get(pk=keys["registration"])
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.seat == 1
    assert registration.organisation == "Free Trade Union of Belarus"
