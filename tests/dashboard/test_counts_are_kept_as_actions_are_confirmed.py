"""The dashboard's counts are appended with each action stored and confirmed, one statement
each that locks no row another request needs; they are added up by the worker and before the
dashboard reads them, and ``picketline rebuild_counts`` finds the same counts from the rows
kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from picketline.dashboard import counting
from picketline.dashboard.models import NEW_SUPPORTERS, DailyCount, PendingCount
from picketline.letters.models import Letter
from picketline.supporters import tally
from tests.letters.helpers import confirm_url, embassy_action, form_data, target

pytestmark = pytest.mark.django_db


def write_letter(client, action, **fields) -> Letter:
    client.post(reverse("letters:action", kwargs={"slug": action.slug}), form_data(**fields))
    return Letter.objects.order_by("-pk").first()


def live_counts() -> set[tuple]:
    counting.fold()
    return {
        (r.dimension, r.day, r.kind, r.value, r.submitted, r.confirmed)
        for r in DailyCount.objects.all()
    }


def counted(dimension: str, **filters) -> dict[tuple[str, str], tuple[int, int]]:
    """{(kind, value): (submitted, confirmed)} of every day under ``dimension``, once what
    waits is added up."""
    counting.fold()
    return {
        (r.kind, r.value): (r.submitted, r.confirmed)
        for r in DailyCount.objects.filter(dimension=dimension, **filters)
    }


@pytest.fixture
def action():
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    target("Embassy of Belarus in Poland", "PL", emails=["embassy.pl@example.org"])
    return embassy_action()


def test_a_letter_is_counted_submitted_then_confirmed_under_the_writers_own_country(client, action):
    letter = write_letter(client, action, country="PL", language="de")
    today = timezone.localdate()
    counting.fold()
    assert set(DailyCount.objects.values_list("day", flat=True)) == {today}
    letter_rows = {
        dimension: counted(dimension, kind="letters.letter")
        for dimension in ("all", "action", "country", "language", "partner", "source")
    }
    assert letter_rows == {
        "all": {("letters.letter", ""): (1, 0)},
        "action": {("letters.letter", str(action.pk)): (1, 0)},
        "country": {("letters.letter", "PL"): (1, 0)},
        "language": {("letters.letter", "de"): (1, 0)},
        "partner": {("letters.letter", ""): (1, 0)},
        "source": {("letters.letter", ""): (1, 0)},
    }

    client.post(confirm_url(letter))
    assert counted("country", kind="letters.letter") == {("letters.letter", "PL"): (1, 1)}
    assert counted("all") == {("letters.letter", ""): (1, 1), (NEW_SUPPORTERS, ""): (0, 1)}
    assert counted("country", kind=NEW_SUPPORTERS) == {(NEW_SUPPORTERS, "PL"): (0, 1)}


def test_a_known_supporter_is_new_only_once(client, action, settings):
    first = write_letter(client, action, email="one@example.net")
    client.post(confirm_url(first))
    ministry = action.fallback_targets.get()
    second_action = embassy_action(slug="second", ministry=ministry)
    second = write_letter(client, second_action, email="one@example.net")
    client.post(confirm_url(second))
    client.post(confirm_url(second))  # confirming twice counts once
    assert counted("all", kind=NEW_SUPPORTERS) == {(NEW_SUPPORTERS, ""): (0, 1)}
    assert counted("action", kind="letters.letter") == {
        ("letters.letter", str(action.pk)): (1, 1),
        ("letters.letter", str(second_action.pk)): (1, 1),
    }


def test_a_confirmation_on_a_later_day_counts_on_that_day(client, action):
    letter = write_letter(client, action)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        client.post(confirm_url(letter))
    counting.fold()
    rows = {
        (r.day, r.submitted, r.confirmed)
        for r in DailyCount.objects.filter(dimension="all", kind="letters.letter")
    }
    today = timezone.localdate()
    assert rows == {(today, 1, 0), (today + timedelta(days=2), 0, 1)}


def test_storing_and_confirming_each_append_their_count_in_one_statement(client, action):
    with CaptureQueriesContext(connection) as stored:
        letter = write_letter(client, action)
    with CaptureQueriesContext(connection) as confirmed:
        client.post(confirm_url(letter))
    pending, daily = PendingCount._meta.db_table, DailyCount._meta.db_table
    for captured in (stored, confirmed):
        sql = [q["sql"] for q in captured.captured_queries]
        assert len([q for q in sql if pending in q]) == 1
        assert [q for q in sql if daily in q] == []  # the shared rows wait for the worker
    # The letter stored; then it confirmed, and its writer, new, in the same statement.
    assert PendingCount.objects.count() == 3 and not DailyCount.objects.exists()


def test_adding_up_moves_what_waits_into_the_daily_counts_once(client, action):
    letter = write_letter(client, action, country="PL")
    client.post(confirm_url(letter))
    assert counting.fold() == 3  # stored; confirmed; a new supporter
    assert not PendingCount.objects.exists()
    assert counting.fold() == 0  # nothing is added twice
    assert counted("country", kind="letters.letter") == {("letters.letter", "PL"): (1, 1)}


def test_adding_up_goes_in_batches_and_leaves_nothing_behind(client, action):
    for n in range(5):
        write_letter(client, action, email=f"b{n}@example.net")
    assert counting.fold(batch=2) == 5
    assert not PendingCount.objects.exists()
    assert counted("all") == {("letters.letter", ""): (5, 0)}


def test_the_worker_adds_up_every_few_seconds(client, action):
    from picketline.dashboard import jobs
    from picketline.jobs.schedule import load_jobs

    write_letter(client, action)
    job = load_jobs()["picketline.dashboard.jobs.add_up_counts"]
    assert job.interval == timedelta(seconds=5)
    jobs.add_up_counts()
    assert not PendingCount.objects.exists() and DailyCount.objects.exists()


def test_counting_adds_that_one_statement_and_no_other(client, action, monkeypatch):
    letter = write_letter(client, action, email="first@example.net")
    client.post(confirm_url(letter))  # the caches of a first request are warm now

    registered = list(tally._TALLIES)

    def statements(counted: bool) -> tuple[int, int]:
        monkeypatch.setattr(tally, "_TALLIES", registered if counted else [])
        email = f"{'counted' if counted else 'uncounted'}@example.net"
        with CaptureQueriesContext(connection) as stored:
            letter = write_letter(client, action, email=email)
        with CaptureQueriesContext(connection) as confirmed:
            client.post(confirm_url(letter))
        return len(stored), len(confirmed)

    without = statements(counted=False)
    assert statements(counted=True) == (without[0] + 1, without[1] + 1)


def test_counts_added_at_once_for_one_key_all_count():
    key = (date(2024, 5, 1), "letters.letter", "7", "DE", "en", 0, "")
    for _ in range(3):
        counting.add({key: (1, 0)})
    counting.add({key: (0, 2)})
    rows = {(r.dimension, r.value): (r.submitted, r.confirmed) for r in DailyCount.objects.all()}
    assert rows == {
        ("all", ""): (3, 2),
        ("action", "7"): (3, 2),
        ("country", "DE"): (3, 2),
        ("language", "en"): (3, 2),
        ("partner", ""): (3, 2),
        ("source", ""): (3, 2),
    }


def test_rebuilding_finds_the_counts_kept_live(client, action):
    letters = [
        write_letter(client, action, email=f"w{n}@example.net", country=country, language=lang)
        for n, (country, lang) in enumerate([("DE", "en"), ("PL", "de"), ("DE", "ru"), ("", "be")])
    ]
    for letter in letters[:3]:
        client.post(confirm_url(letter))
    client.post(reverse("supporters:subscribe"), {
        "name": "Sub Scriber", "email": "sub@example.net", "country": "FR", "language": "en",
        "consent_organiser_updates": "on", "website": "",
    })  # fmt: skip
    kept_live = live_counts()
    assert {row[2] for row in kept_live} == {
        "letters.letter",
        "supporters.subscription",
        NEW_SUPPORTERS,
    }

    DailyCount.objects.all().delete()
    call_command("rebuild_counts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert live_counts() == kept_live


def test_rebuilding_counts_what_waits_once(client, action):
    write_letter(client, action, country="DE")  # appended, not yet added up
    call_command("rebuild_counts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not PendingCount.objects.exists()
    assert counted("country", kind="letters.letter") == {("letters.letter", "DE"): (1, 0)}


def test_the_dashboard_adds_up_one_batch_and_leaves_a_backlog_to_the_worker(client, action):
    for n in range(3):
        write_letter(client, action, email=f"q{n}@example.net")
    assert counting.fold(batch=2, batches=1) == 2
    assert PendingCount.objects.count() == 1
    assert counting.fold(batch=2) == 1


def test_many_days_and_countries_add_up_in_statements_the_database_takes():
    """Each pending key adds to six rows: a fold of thousands of different keys is split into
    statements of at most ``ADD_ROWS`` rows (SQLite takes at most 32,766 parameters)."""
    keys = [
        (date(2024, 1, 1) + timedelta(days=n % 400), "letters.letter", str(n), "DE", "en", 0, "")
        for n in range(3000)
    ]
    counting.add({key: (1, 0) for key in keys})
    assert DailyCount.objects.filter(dimension="action").count() == 3000
    assert (
        sum(DailyCount.objects.filter(dimension="all").values_list("submitted", flat=True)) == 3000
    )
