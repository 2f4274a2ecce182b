"""A large, realistic dataset written straight into PostgreSQL with COPY, for measuring how
the product behaves with a million supporters (``picketline generate_dataset``).

Rows are what the product itself writes: personal fields are sealed by the model field's own
``encrypt`` (bound to their column), addresses carry the product's blind index, every action
has its consents and confirmation mail, every confirmed letter its delivery and sent letter.
Texts that many rows share (a mail's body, a letter's organisation) are sealed once per
variant and reused; every address, name and other per-person value is sealed on its own.

The shape follows a campaign 40 days old whose retention jobs ran every day: supporters and
actions over the 40 days; unconfirmed ones only from the last eight days (older ones were
purged, save one day's worth for the next run); outbox mail from the last 31 days (sent mail
is kept 30), nearly all of it sent.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from picketline.events.models import Event, Registration
from picketline.letters.models import Delivery, Letter, LetterAction
from picketline.mail.models import MessageAddress, OutgoingMessage
from picketline.submissions.models import Status, VideoMessage
from picketline.supporters.models import Consent, ConsentWording, Supporter
from picketline.web.fields import email_index

FIRST = "Anna Ivan Olga Pavel Maria Jan Eva Lukas Sofia Mikhail Ines Tomas Lena Oleg Nina".split()
LAST = "Novak Ivanova Schmidt Kowalski Petrova Meyer Horak Sokolov Weber Lind Berg Garcia".split()
DOMAINS = ["example.org", "example.net", "example.com", "mail.example", "union.example"]
COUNTRIES = "DE AT CH PL LT LV EE FR NL BE SE NO DK FI CZ SK GB IE IT ES PT US CA".split()
LANGUAGES = ["en"] * 4 + ["de"] * 3 + ["ru"] * 2 + ["be"]
UNIONS = ["IG Metall", "ver.di", "UNISON", "FNV", "Solidarność", "LO", "CGT", "ÖGB", ""]
CAMPAIGN_DAYS = 40
UNCONFIRMED_DAYS = 8  # the product purges unconfirmed actions after 7; one day is left over
MAIL_DAYS = 31  # sent mail is kept 30 days; one day is left for the next purge
CHUNK = 20_000
ACTION_COLUMNS = ["id", "supporter_id", "language", "created_at", "confirmed_at"]
ACTION_COLUMNS += ["confirmation_mails_sent"]


@dataclass
class Sizes:
    supporters: int = 1_000_000
    actions: int = 3_000_000
    messages: int = 5_000_000

    def scaled(self, factor: float) -> Sizes:
        return Sizes(*(max(1, round(n * factor)) for n in vars(self).values()))


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Table:
    """COPY rows into one model's table. A row is a dict of the columns given per row (named
    in ``varying``; one a row leaves out takes its default); every other column takes the value
    a new model instance would hold, computed once. psycopg writes each row (``write_row``)."""

    def __init__(self, model: type[models.Model], cursor: Any, varying: list[str]) -> None:
        self.cursor = cursor
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.varying = varying
        self.defaults = {name: fields[name].get_default() for name in varying}
        fixed = [name for name in fields if name not in varying]
        self.constants = tuple(fields[name].get_default() for name in fixed)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(fields[name].column) for name in [*varying, *fixed])
        self.sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"

    def copy(self, rows: Iterable[dict[str, Any]]) -> int:
        written = 0
        varying, defaults, constants = self.varying, self.defaults, self.constants
        with self.cursor.copy(self.sql) as copy:
            for row in rows:
                get = row.get
                copy.write_row(tuple([get(name, defaults[name]) for name in varying]) + constants)
                written += 1
        return written


def sealer(model: type[models.Model], name: str) -> Callable[[str], str]:
    """The model field's own encryption for ``name`` (empty stays empty, as the field does)."""
    model_field = model._meta.get_field(name)

    def seal(text: str) -> str:
        return model_field.encrypt(text) if text else ""

    return seal


def sealed_variants(model: type[models.Model], name: str, texts: list[str]) -> list[str]:
    seal = sealer(model, name)
    return [seal(text) for text in texts]


@dataclass
class People:
    """What later tables need to know of each supporter (by position)."""

    ids: list[int]
    emails: list[str]
    indexes: list[str]
    created: list[datetime]
    confirmed: list[datetime | None]
    countries: list[str]
    languages: list[str]


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def generate(sizes: Sizes, seed: int = 17, log: Callable[[str], None] = print) -> Report:
    """Write the dataset in one transaction. PostgreSQL only (COPY)."""
    if connection.vendor != "postgresql":
        raise ValueError(
            "generate_dataset writes with PostgreSQL's COPY: point DATABASE_URL at PostgreSQL "
            f"(this is {connection.vendor})."
        )
    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now()
    report = Report()
    letter_actions = list(LetterAction.objects.published())
    if not letter_actions:
        raise ValueError("no published letter action: load the demo first")
    models_written = [Supporter, Letter, Registration, VideoMessage, Consent, Delivery]
    models_written += [OutgoingMessage, MessageAddress]
    tables = [model._meta.db_table for model in models_written]
    with transaction.atomic(), connection.cursor() as cursor:
        events = _events(sizes.actions * 25 // 100, rng, now)
        # Check the new events' keys now: a table with checks pending cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        with _keys_and_indexes_built_after(cursor, tables, log):
            people = _supporters(cursor, sizes.supporters, rng, now, report, log)
            written = _actions(cursor, people, letter_actions, events, sizes, rng, now, report, log)
            _outbox(cursor, people, written, sizes.messages, rng, now, report, log)
        for statement in connection.ops.sequence_reset_sql(no_style(), models_written):
            cursor.execute(statement)
    # As autovacuum would leave them: statistics for the planner, and the visibility map that
    # lets a count read an index alone (VACUUM runs outside a transaction).
    with connection.cursor() as cursor:
        for model in models_written:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.seconds = time.monotonic() - started
    return report


@contextmanager
def _keys_and_indexes_built_after(cursor: Any, tables: list[str], log: Callable) -> Iterator[None]:
    """PostgreSQL's own advice for filling a database: drop the tables' secondary indexes,
    unique and foreign-key constraints, load, then build each index in one sorted pass and
    check each key in one join (instead of a check and an index insert per row). Their
    definitions are read from the catalogue and restored as they were, in the same
    transaction: nobody sees the tables without them."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE contype IN ('u', 'f') AND conrelid = ANY(%s::regclass[]) "
        "ORDER BY contype DESC",  # unique ones first when restoring: keys may refer to them
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition, _kind in reversed(constraints):
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    for _name, definition in indexes:
        cursor.execute(definition)
    for table, name, definition, _kind in constraints:
        cursor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        )
    log(
        f"  {len(indexes)} indexes and {len(constraints)} keys rebuilt "
        f"in {time.monotonic() - started:.1f} s"
    )


REGISTRATIONS_PER_EVENT = 5000


def _events(registrations: int, rng: random.Random, now: datetime) -> list[Event]:
    """Online meetings over the campaign's 40 days and the next 30, one for every 5,000
    registrations: half without a limit, half with seats for four in five who register (the
    rest wait)."""
    run = secrets.token_hex(3)
    events = []
    for i in range(max(1, registrations // REGISTRATIONS_PER_EVENT)):
        starts = now + timedelta(days=rng.uniform(-CAMPAIGN_DAYS, 30))
        events.append(
            Event(
                slug=f"dataset-{run}-{i}",
                kind=Event.Kind.ONLINE,
                title_en=f"Solidarity meeting {i + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                time_zone="Europe/Berlin",
                languages="en,ru",
                capacity=None if i % 2 else REGISTRATIONS_PER_EVENT * 4 // 5,
                registration_required=True,
                join_url=f"https://meet.example.net/dataset-{run}-{i}",
                published=True,
            )
        )
    return Event.objects.bulk_create(events)


def _spread(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _supporters(
    cursor: Any, n: int, rng: random.Random, now: datetime, report: Report, log: Callable
) -> People:
    table = Table(
        Supporter,
        cursor,
        ["id", "email_index", "email", "name", "country", "language", "created_at"]
        + ["confirmed_at", "link_nonce"],
    )
    seal_email, seal_name = sealer(Supporter, "email"), sealer(Supporter, "name")
    seal_country = sealer(Supporter, "country")
    first_id = next_id(Supporter)
    run = secrets.token_hex(3)  # addresses of two runs into one database never collide
    people = People([], [], [], [], [], [], [])
    campaign_start = now - timedelta(days=CAMPAIGN_DAYS)
    recent = now - timedelta(days=UNCONFIRMED_DAYS)

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(n):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{last.lower()}.{run}{i}@{rng.choice(DOMAINS)}"
            created = _spread(rng, campaign_start, now)
            confirmed = None
            if created < recent or rng.random() < 0.6:
                confirmed = min(created + timedelta(minutes=rng.randint(1, 600)), now)
            country, language = rng.choice(COUNTRIES), rng.choice(LANGUAGES)
            index = email_index(email)
            people.ids.append(first_id + i)
            people.emails.append(email)
            people.indexes.append(index)
            people.created.append(created)
            people.confirmed.append(confirmed)
            people.countries.append(country)
            people.languages.append(language)
            yield {
                "id": first_id + i,
                "email_index": index,
                "email": seal_email(email),
                "name": seal_name(f"{first} {last}"),
                "country": seal_country(country),
                "language": language,
                "created_at": created,
                "confirmed_at": confirmed,
                "link_nonce": secrets.token_urlsafe(16),
            }

    report.counts["supporters"] = table.copy(rows())
    log(f"  supporters: {report.counts['supporters']:,}")
    return people


@dataclass
class ActionRow:
    """An action written, as the outbox needs it: for its confirmation mail."""

    label: str
    pk: int
    person: int
    created: datetime
    language: str


def _actions(
    cursor: Any,
    people: People,
    letter_actions: list[LetterAction],
    events: list[Event],
    sizes: Sizes,
    rng: random.Random,
    now: datetime,
    report: Report,
    log: Callable,
) -> tuple[list[ActionRow], list[tuple[int, int, int, int, datetime]]]:
    """Letters (60 %), registrations (25 %) and video messages (15 %) with their consents,
    and a delivery per confirmed letter and target. Returns the actions and the deliveries
    (delivery id, letter id, person, target address index, when)."""
    n_letters = sizes.actions * 60 // 100
    n_registrations = sizes.actions * 25 // 100
    n_videos = sizes.actions - n_letters - n_registrations
    n_people = len(people.ids)
    actions: list[ActionRow] = []
    consents: list[dict[str, Any]] = []
    wordings = {
        purpose: ConsentWording.id_for_text(f"I agree: {label}.", "en")
        for purpose, label in Consent.Purpose.choices
    }
    # Each supporter writes each letter action once at most (one delivery per target).
    order = list(range(n_people))
    rng.shuffle(order)

    def when(person: int) -> tuple[datetime, datetime | None]:
        created = _spread(rng, people.created[person], now)
        confirmed_at = people.confirmed[person]
        if confirmed_at is None:
            return created, None
        confirmed = max(created, confirmed_at) + timedelta(minutes=rng.randint(1, 120))
        return created, min(confirmed, now)

    def consent(purpose: str, label: str, pk: int, person: int, created, confirmed) -> None:
        consents.append(
            {
                "supporter_id": people.ids[person],
                "purpose": purpose,
                "wording_id": wordings[purpose],
                "language": people.languages[person],
                "page": f"/{people.languages[person]}/",
                "action_type": label,
                "action_id": pk,
                "given_at": created,
                "confirmed_at": min(confirmed, now) if confirmed else None,
            }
        )

    # Letters ----------------------------------------------------------------------------
    seal_country = sealer(Letter, "country")
    organisations = sealed_variants(Letter, "organisation", UNIONS)
    roles = sealed_variants(Letter, "role", ["member", "shop steward", "secretary", ""])
    paragraphs = sealed_variants(
        Letter,
        "personal_paragraph",
        [f"As a {job} I stand with my Belarusian colleagues." for job in FIRST] + [""] * 15,
    )
    # Who a letter from each country goes to, as the product decides it (read before the
    # COPY starts: the connection runs no other query during one).
    targets = {
        (action.pk, country): [target.pk for target in action.targets_for(country)]
        for action in letter_actions
        for country in COUNTRIES
    }
    letter_id = next_id(Letter)
    deliveries: list[tuple[int, int, int, int, datetime]] = []
    delivery_rows: list[dict[str, Any]] = []
    delivery_id = next_id(Delivery)

    def letters() -> Iterator[dict[str, Any]]:
        nonlocal delivery_id
        for j in range(n_letters):
            person = order[j % n_people]
            action = letter_actions[(j // n_people) % len(letter_actions)]
            created, confirmed = when(person)
            pk = letter_id + j
            actions.append(
                ActionRow("letters.letter", pk, person, created, people.languages[person])
            )
            consent(
                Consent.Purpose.SEND_IN_MY_NAME, "letters.letter", pk, person, created, confirmed
            )
            if rng.random() < 0.4:
                consent(
                    Consent.Purpose.ORGANISER_UPDATES,
                    "letters.letter",
                    pk,
                    person,
                    created,
                    confirmed,
                )
            if confirmed is not None:
                for target in targets[action.pk, people.countries[person]]:
                    delivery_rows.append(
                        {
                            "id": delivery_id,
                            "letter_id": pk,
                            "action_id": action.pk,
                            "target_id": target,
                            "supporter_id": people.ids[person],
                            "status": Delivery.Status.QUEUED,
                            "created_at": confirmed,
                            "scheduled_for": confirmed,
                        }
                    )
                    deliveries.append((delivery_id, pk, person, target, confirmed))
                    delivery_id += 1
            yield {
                "id": pk,
                "supporter_id": people.ids[person],
                "language": people.languages[person],
                "created_at": created,
                "confirmed_at": min(confirmed, now) if confirmed else None,
                "confirmation_mails_sent": 1,
                "action_id": action.pk,
                # Its deliveries are written above, as the worker writes them.
                "deliveries_written_at": min(confirmed, now) if confirmed else None,
                "country": seal_country(people.countries[person]),
                "organisation": rng.choice(organisations),
                "role": rng.choice(roles),
                "personal_paragraph": rng.choice(paragraphs),
            }

    report.counts["letters"] = Table(
        Letter,
        cursor,
        [*ACTION_COLUMNS, "action_id", "country", "organisation", "role"]
        + ["personal_paragraph", "deliveries_written_at"],
    ).copy(letters())
    log(f"  letters: {report.counts['letters']:,}")

    # Registrations ------------------------------------------------------------------------
    seal_zone = sealer(Registration, "time_zone")
    registration_organisations = sealed_variants(Registration, "organisation", UNIONS)
    registration_id = next_id(Registration)
    seats = {event.pk: 0 for event in events}
    seats |= dict(
        Registration.objects.filter(seat__isnull=False)
        .values("event")
        .annotate(top=models.Max("seat"))
        .values_list("event", "top")
    )

    def registrations() -> Iterator[dict[str, Any]]:
        for j in range(n_registrations):
            person = rng.randrange(n_people)
            event = events[j % len(events)]
            created, confirmed = when(person)
            pk = registration_id + j
            actions.append(
                ActionRow("events.registration", pk, person, created, people.languages[person])
            )
            if rng.random() < 0.3:
                consent(
                    Consent.Purpose.ORGANISER_UPDATES,
                    "events.registration",
                    pk,
                    person,
                    created,
                    confirmed,
                )
            row: dict[str, Any] = {
                "id": pk,
                "supporter_id": people.ids[person],
                "language": people.languages[person],
                "created_at": created,
                "confirmed_at": min(confirmed, now) if confirmed else None,
                "confirmation_mails_sent": 1,
                "event_id": event.pk,
                "organisation": rng.choice(registration_organisations),
                "time_zone": seal_zone("Europe/Berlin"),
            }
            if confirmed is not None:
                if event.capacity is None or seats[event.pk] < event.capacity:
                    seats[event.pk] += 1
                    row |= {"status": "confirmed", "seat": seats[event.pk], "seated_at": confirmed}
                else:
                    row |= {"status": "waitlisted", "waitlisted_at": confirmed}
            yield row

    report.counts["registrations"] = Table(
        Registration,
        cursor,
        [*ACTION_COLUMNS, "event_id", "organisation", "time_zone", "status", "seat"]
        + ["seated_at", "waitlisted_at"],
    ).copy(registrations())
    log(f"  registrations: {report.counts['registrations']:,}")

    # Video messages ---------------------------------------------------------------------
    texts = sealed_variants(
        VideoMessage, "text", ["Free them all!", "Solidarity from our union.", "", ""]
    )
    video_id = next_id(VideoMessage)

    def videos() -> Iterator[dict[str, Any]]:
        for j in range(n_videos):
            person = rng.randrange(n_people)
            created, confirmed = when(person)
            pk = video_id + j
            actions.append(
                ActionRow("submissions.videomessage", pk, person, created, people.languages[person])
            )
            consent(
                Consent.Purpose.PUBLISH_FACE_VOICE,
                "submissions.videomessage",
                pk,
                person,
                created,
                confirmed,
            )
            yield {
                "id": pk,
                "supporter_id": people.ids[person],
                "language": people.languages[person],
                "created_at": created,
                "confirmed_at": min(confirmed, now) if confirmed else None,
                "confirmation_mails_sent": 1,
                "status": rng.choice([Status.PENDING, Status.REJECTED]),
                "public_token": secrets.token_urlsafe(12),
                "text": rng.choice(texts),
                "original": f"videos/original/{pk}.webm",
            }

    report.counts["video messages"] = Table(
        VideoMessage, cursor, [*ACTION_COLUMNS, "status", "public_token", "text", "original"]
    ).copy(videos())
    log(f"  video messages: {report.counts['video messages']:,}")

    consent_id = next_id(Consent)
    report.counts["consents"] = Table(
        Consent,
        cursor,
        ["id", "supporter_id", "purpose", "wording_id", "language", "page", "action_type"]
        + ["action_id", "given_at", "confirmed_at"],
    ).copy(row | {"id": consent_id + i} for i, row in enumerate(consents))
    log(f"  consents: {report.counts['consents']:,}")
    report.counts["deliveries"] = Table(
        Delivery,
        cursor,
        ["id", "letter_id", "action_id", "target_id", "supporter_id", "status", "created_at"]
        + ["scheduled_for"],
    ).copy(delivery_rows)
    log(f"  deliveries: {report.counts['deliveries']:,}")
    return actions, deliveries


def _outbox(
    cursor: Any,
    people: People,
    written: tuple[list[ActionRow], list[tuple[int, int, int, int, datetime]]],
    n: int,
    rng: random.Random,
    now: datetime,
    report: Report,
    log: Callable,
) -> None:
    """``n`` messages of the last 31 days: the confirmation mail of each action, the letters
    of the deliveries, and privacy links and event mails for the rest; nearly all sent."""
    from django.conf import settings

    from picketline.letters.models import TargetAddress

    actions, deliveries = written
    oldest = now - timedelta(days=MAIL_DAYS)
    site = settings.DEFAULT_FROM_EMAIL
    seal_to, seal_reply = sealer(OutgoingMessage, "to"), sealer(OutgoingMessage, "reply_to")
    seal_from = sealer(OutgoingMessage, "from_email")
    site_from = [seal_from(site) for _ in range(50)]
    site_index = email_index(_address(site))
    subjects = sealed_variants(
        OutgoingMessage, "subject", [f"Please confirm: your action #{i}" for i in range(200)]
    )
    bodies = sealed_variants(OutgoingMessage, "body_text", [_BODY.format(i=i) for i in range(200)])
    pages = sealed_variants(
        OutgoingMessage, "body_html", [f"<p>{_BODY.format(i=i)}</p>" for i in range(200)]
    )
    target_addresses = {a.target_id: a.email for a in TargetAddress.objects.order_by("id")}
    target_to = {t: seal_to(email) for t, email in target_addresses.items()}
    target_index = {t: email_index(email) for t, email in target_addresses.items()}
    message_id = next_id(OutgoingMessage)
    addresses: list[tuple[int, str]] = []
    links: list[tuple[int, int]] = []  # delivery → message

    def outcome(created: datetime) -> dict[str, Any]:
        roll = rng.random()
        if roll < 0.985 or created < now - timedelta(days=1):
            return {"status": "sent", "sent_at": created + timedelta(seconds=rng.randint(1, 90))}
        if roll < 0.995:
            return {"status": "failed", "attempts": 8, "last_error": "550 mailbox unavailable"}
        return {"status": "retry", "attempts": 1, "send_after": now + timedelta(minutes=5)}

    def common(pk: int, created: datetime, kind: str, language: str) -> dict[str, Any]:
        return {
            "id": pk,
            "created_at": created,
            "kind": kind,
            "language": language,
            "send_after": created,
            "message_id": f"<{pk}.{secrets.token_hex(6)}@dataset.invalid>",
            "subject": rng.choice(subjects),
            "body_text": rng.choice(bodies),
            "body_html": rng.choice(pages),
        }

    def rows() -> Iterator[dict[str, Any]]:
        pk = message_id
        made = 0
        for action in actions:
            if made >= n:
                return
            if action.created < oldest:
                continue
            row = common(pk, action.created, "confirmation", action.language)
            row |= outcome(action.created) | {
                "from_email": rng.choice(site_from),
                "to": seal_to(people.emails[action.person]),
                "compose_with": "confirmation",
                "compose_ref": f"{action.label}:{action.pk}",
            }
            addresses.append((pk, site_index))
            addresses.append((pk, people.indexes[action.person]))
            yield row
            pk, made = pk + 1, made + 1
        for delivery, letter, person, target, confirmed in deliveries:
            if made >= n:
                return
            if confirmed < oldest or target not in target_to:
                continue
            row = common(pk, confirmed, "letter", people.languages[person])
            row |= outcome(confirmed) | {
                "from_email": rng.choice(site_from),
                "to": target_to[target],
                "reply_to": seal_reply(people.emails[person]),
                "message_id": f"<letter.{delivery}.{letter}@dataset.invalid>",
            }
            addresses.append((pk, site_index))
            addresses.append((pk, people.indexes[person]))
            addresses.append((pk, target_index[target]))
            links.append((delivery, pk))
            yield row
            pk, made = pk + 1, made + 1
        kinds = ["privacy-link", "event-reminder", "event-seat-given", "resend-confirmations"]
        while made < n:
            person = rng.randrange(len(people.ids))
            created = _spread(rng, oldest, now)
            row = common(pk, created, rng.choice(kinds), people.languages[person])
            row |= outcome(created) | {
                "from_email": rng.choice(site_from),
                "to": seal_to(people.emails[person]),
            }
            addresses.append((pk, site_index))
            addresses.append((pk, people.indexes[person]))
            yield row
            pk, made = pk + 1, made + 1

    report.counts["outbox"] = Table(
        OutgoingMessage,
        cursor,
        ["id", "created_at", "kind", "language", "send_after", "message_id", "subject"]
        + ["body_text", "body_html", "status", "sent_at", "attempts", "last_error"]
        + ["from_email", "to", "reply_to", "compose_with", "compose_ref"],
    ).copy(rows())
    log(f"  outbox: {report.counts['outbox']:,}")
    address_id = next_id(MessageAddress)
    report.counts["message addresses"] = Table(
        MessageAddress, cursor, ["id", "message_id", "address_index"]
    ).copy(
        {"id": address_id + i, "message_id": m, "address_index": index}
        for i, (m, index) in enumerate(addresses)
    )
    log(f"  message addresses: {report.counts['message addresses']:,}")
    # The letters' deliveries point at their messages, as the scheduler leaves them.
    cursor.execute("CREATE TEMPORARY TABLE dataset_links (delivery bigint, message bigint)")
    with cursor.copy("COPY dataset_links (delivery, message) FROM STDIN") as copy:
        for start in range(0, len(links), CHUNK):
            copy.write("".join(f"{d}\t{m}\n" for d, m in links[start : start + CHUNK]))
    table = connection.ops.quote_name(Delivery._meta.db_table)
    cursor.execute(
        f"UPDATE {table} SET message_id = dataset_links.message "  # noqa: S608
        f"FROM dataset_links WHERE {table}.id = dataset_links.delivery"
    )
    cursor.execute("DROP TABLE dataset_links")


def _address(header: str) -> str:
    from email.utils import parseaddr

    return parseaddr(header)[1] or header


_BODY = (
    "Hello,\n\nthank you for taking part in the campaign for the jailed trade unionists of "
    "Belarus. Please confirm that this address is yours by opening the link below; until "
    "then nothing is sent in your name and nothing is published.\n\n"
    "https://campaign.example/en/me/confirm/dataset-{i}/\n\n"
    "If it was not you, open this link and everything goes at once:\n"
    "https://campaign.example/en/me/not-me/dataset-{i}/\n\n"
    "In solidarity,\nthe campaign team"
)
