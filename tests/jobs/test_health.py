"""Health for a load balancer and an operator: /healthz (alive), /readyz (database, cache,
outbox, worker), `picketline status`, the workers' heartbeats in the admin. Nothing any of them
says is personal."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from picketline.jobs.models import WorkerHeartbeat
from picketline.mail.models import OutgoingMessage
from tests.fixtures.accounts import login_verified, make_staff

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^(database|cache|outbox|worker|unreadable-mail) (ok|down|late|stale|none|found)( \d+s?)?$"
)
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # A port nothing listens on (the discard service), answered at once with a refusal.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


def lines(response) -> dict[str, str]:
    text = response.content.decode()
    assert all(LINE.match(line) for line in text.splitlines()), text
    return {line.split()[0]: line for line in text.splitlines()}


def test_healthz_answers_without_touching_the_database(client):
    # No database fixture: a query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_is_200_with_every_check_on_its_own_line(client):
    WorkerHeartbeat.beat("host-1")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = lines(response)
    assert list(found) == ["database", "cache", "outbox", "unreadable-mail", "worker"]
    assert found["database"] == "database ok" and found["cache"] == "cache ok"
    assert found["outbox"] == "outbox ok 0s"  # nothing waits
    assert found["unreadable-mail"] == "unreadable-mail ok 0"
    assert re.fullmatch(r"worker ok \d+s", found["worker"])  # beat just now (a slow machine: 1s)


@pytest.mark.django_db
def test_readyz_names_no_supporter_address_or_message(client):
    OutgoingMessage.queue(
        to=["ana@example.org"], subject="Confirm", text="Hello Ana", kind="confirmation"
    )
    text = client.get("/readyz").content.decode()
    assert "ana" not in text.lower() and "confirm" not in text.lower()
    assert "host" not in text


@pytest.mark.django_db
def test_readyz_says_how_long_the_oldest_due_message_has_waited(client):
    OutgoingMessage.queue(
        to=["ana@example.org"],
        subject="s",
        text="t",
        kind="test",
        send_after=timezone.now() - timedelta(seconds=120),
    )
    OutgoingMessage.queue(to=["bo@example.org"], subject="s", text="t", kind="test")
    # Held mail and mail due later are not waiting.
    OutgoingMessage.queue(
        to=["cy@example.org"],
        subject="s",
        text="t",
        kind="test",
        held=True,
        send_after=timezone.now() - timedelta(days=1),
    )
    outbox = lines(client.get("/readyz"))["outbox"]
    assert re.fullmatch(r"outbox ok 1[23]\ds", outbox)


@pytest.mark.django_db
@override_settings(OUTBOX_LATE_SECONDS=60)
def test_late_mail_shows_but_leaves_the_site_serving(client):
    OutgoingMessage.queue(
        to=["ana@example.org"],
        subject="s",
        text="t",
        kind="test",
        send_after=timezone.now() - timedelta(minutes=5),
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    assert lines(response)["outbox"].startswith("outbox late 30")


@pytest.mark.django_db
def test_a_silent_worker_shows_as_stale_and_no_worker_as_none(client):
    assert lines(client.get("/readyz"))["worker"] == "worker none"
    WorkerHeartbeat.objects.create(worker="host-1", beat_at=timezone.now() - timedelta(seconds=600))
    response = client.get("/readyz")
    assert response.status_code == 200  # the web servers still serve; an operator is told
    assert re.fullmatch(r"worker stale 60\ds", lines(response)["worker"])


@pytest.mark.django_db
def test_readyz_is_503_with_retry_after_when_the_cache_is_gone(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert lines(response)["cache"] == "cache down"


def warnings_and_worse(caplog) -> list[tuple[str, str, str]]:
    return [
        (r.name, r.levelname, r.getMessage())
        for r in caplog.records
        if r.levelno >= logging.WARNING
    ]


def probe(client, times: int) -> list[int]:
    return [client.get("/readyz").status_code for _ in range(times)]


@pytest.fixture
def ready(client, caplog, django_request_log):
    """A process whose last probe found it ready (this process's state outlives a test), and
    logs that start empty."""
    assert probe(client, 1) == [200]
    caplog.clear()
    django_request_log.clear()


@pytest.mark.django_db
def test_failing_probes_log_one_warning_naming_the_check_and_no_error_each(
    ready, client, caplog, django_request_log
):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert probe(client, 5) == [503] * 5
    assert warnings_and_worse(caplog) == [
        ("picketline.jobs.health", "WARNING", "readiness: not serving (cache down)")
    ]
    assert caplog.records[-1].exc_info is not None  # what Redis's client raised, once
    assert django_request_log == []  # no "Service Unavailable: /readyz" per probe


@pytest.mark.django_db
def test_the_return_to_ready_is_logged_once(ready, client, caplog, django_request_log):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert probe(client, 2) == [503] * 2
    caplog.clear()
    assert probe(client, 3) == [200] * 3
    assert warnings_and_worse(caplog) == [
        ("picketline.jobs.health", "WARNING", "readiness: serving again")
    ]
    assert django_request_log == []


@pytest.mark.django_db
def test_a_second_outage_is_told_again(ready, client, caplog):
    for _ in range(2):
        with override_settings(CACHES=UNREACHABLE_REDIS):
            probe(client, 2)
        probe(client, 2)
    assert [message for _name, _level, message in warnings_and_worse(caplog)] == [
        "readiness: not serving (cache down)",
        "readiness: serving again",
    ] * 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "line"),
    [
        ("/en/away/bug/", 500, "Internal Server Error: /en/away/bug/"),
        ("/en/busy/", 503, "Service Unavailable: /en/busy/"),
    ],
)
def test_other_5xx_answers_stay_errors_while_readyz_fails(
    ready, client, django_request_log, settings, path, status, line
):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert probe(client, 3) == [503] * 3
    settings.ROOT_URLCONF = "tests.web.urls"
    assert Client(raise_request_exception=False).get(path).status_code == status
    assert [(r.levelname, r.getMessage()) for r in django_request_log] == [("ERROR", line)]


def test_healthz_logs_nothing_while_the_cache_is_away(client, caplog, django_request_log):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert [client.get("/healthz").status_code for _ in range(3)] == [200] * 3
    assert warnings_and_worse(caplog) == []
    assert django_request_log == []


@pytest.mark.django_db
def test_a_beat_updates_the_workers_row(django_assert_num_queries):
    WorkerHeartbeat.beat("host-1")
    first = WorkerHeartbeat.objects.get()
    with django_assert_num_queries(1):  # an UPDATE once the row is there
        WorkerHeartbeat.beat("host-1")
    again = WorkerHeartbeat.objects.get()
    assert again.started_at == first.started_at
    assert again.beat_at >= first.beat_at


@pytest.mark.django_db
def test_heartbeats_of_long_gone_workers_are_forgotten():
    from picketline.jobs.jobs import forget_stopped_workers

    WorkerHeartbeat.objects.create(worker="old", beat_at=timezone.now() - timedelta(days=8))
    WorkerHeartbeat.beat("new")
    forget_stopped_workers()
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["new"]


@pytest.mark.django_db
def test_the_admin_lists_the_workers_and_whether_each_is_alive(client):
    login_verified(client, make_staff("admin", superuser=True))
    WorkerHeartbeat.beat("web-1-4242")
    WorkerHeartbeat.objects.create(worker="web-2-77", beat_at=timezone.now() - timedelta(hours=1))
    response = client.get(reverse("admin:jobs_workerheartbeat_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "web-1-4242" in page and "web-2-77" in page
    assert page.count('alt="True"') == 1 and page.count('alt="False"') == 1
    assert client.get(reverse("admin:jobs_workerheartbeat_add")).status_code == 403


@pytest.mark.django_db
def test_status_reports_every_check_and_each_worker(capsys):
    WorkerHeartbeat.beat("host-1-99")
    call_command("status")
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == ["database ok", "cache ok", "outbox ok 0s", "unreadable-mail ok 0"]
    assert re.fullmatch(r"worker ok \d+s", out[4])
    assert out[5].startswith("  worker host-1-99 alive since ")


@pytest.mark.django_db
def test_status_fails_when_no_worker_runs(capsys):
    with pytest.raises(SystemExit) as stopped:
        call_command("status")
    assert stopped.value.code == 1
    assert "worker none" in capsys.readouterr().out


def test_status_fails_when_the_database_is_down():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/picketline"}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    result = subprocess.run(
        [sys.executable, "-m", "picketline.cli", "status"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[:2] == ["database down", "cache ok"]
    assert "Traceback" not in result.stdout
    assert "readiness: not serving (database down)" in result.stderr  # with the driver's error


@pytest.mark.django_db
def test_status_fails_when_workers_on_two_machines_share_no_cache(capsys, settings):
    settings.REDIS_URL = ""
    WorkerHeartbeat.beat("web-1.campaign.example-101")
    WorkerHeartbeat.beat("web-1.campaign.example-102")
    call_command("status")  # two workers on one machine: fine
    WorkerHeartbeat.beat("web-2.campaign.example-7")
    with pytest.raises(SystemExit) as stopped:
        call_command("status")
    assert stopped.value.code == 1
    assert "machines 2 without a shared cache (REDIS_URL)" in capsys.readouterr().out


@pytest.mark.django_db
def test_two_machines_with_redis_pass_the_status(capsys, settings):
    settings.REDIS_URL = "redis://10.0.0.9:6379/0"  # only read here; the caches stay local
    WorkerHeartbeat.beat("web-1-101")
    WorkerHeartbeat.beat("web-2-7")
    call_command("status")
    assert "machines" not in capsys.readouterr().out


@pytest.mark.django_db
def test_organisers_see_the_heartbeats_and_nobody_else_below_administrator(client):
    from django.contrib.auth.models import Group

    from picketline.accounts.roles import ensure_roles

    ensure_roles()
    WorkerHeartbeat.beat("web-1-4242")
    url = reverse("admin:jobs_workerheartbeat_changelist")
    for role, status in (("organiser", 200), ("moderator", 403), ("viewer", 403)):
        user = make_staff(role, superuser=False, groups=[role])
        assert Group.objects.get(name=role) in user.groups.all()
        client.logout()
        login_verified(client, user)
        assert client.get(url).status_code == status, role
