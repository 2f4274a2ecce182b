"""The dashboard: who may open it, which figures each role sees, the charts with their tables,
and every figure as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from picketline.accounts.roles import ADMINISTRATOR, MODERATOR, ORGANISER, VIEWER, ensure_roles
from picketline.dashboard import counting
from picketline.dashboard.models import NEW_SUPPORTERS
from picketline.mail.models import AddressHealth, OutgoingMessage
from picketline.partners.models import Partner
from tests.fixtures.accounts import login_verified, make_staff
from tests.submissions.helpers import make_endorsement

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard:figures")
EVERY_COUNT = [
    "daily",
    "funnel",
    "by_action",
    "by_country",
    "by_language",
    "by_partner",
    "by_source",
]


@pytest.fixture(autouse=True)
def roles():
    ensure_roles()


def as_role(client, role: str):
    login_verified(client, make_staff(role, superuser=False, groups=[role]))
    return client


def figures_on(page) -> list[str]:
    return [figure.name for figure in page.context["figures"]]


def some_counts() -> None:
    today = timezone.localdate()
    verdi = Partner.objects.create(pk=4, name="ver.di", slug="verdi")
    counting.add(
        {
            (today, "letters.letter", "", "DE", "de", 0, ""): (5, 3),
            (today, "letters.letter", "", "PL", "en", verdi.pk, "link:newsletter"): (2, 2),
            (today, "submissions.endorsement", "", "", "en", 0, ""): (1, 1),
            (today, NEW_SUPPORTERS, "", "DE", "de", 0, ""): (0, 4),
            (date(2000, 1, 1), "letters.letter", "", "FR", "en", 0, ""): (9, 9),  # long ago
        }
    )


def test_it_sends_the_anonymous_to_the_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_a_role_may_not_open_it(client):
    login_verified(client, make_staff("nobody", superuser=False))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("dashboard:csv", args=["daily"])).status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (ADMINISTRATOR, [*EVERY_COUNT, "outbox", "moderation"]),
        (ORGANISER, [*EVERY_COUNT, "outbox", "moderation"]),
        (MODERATOR, [*EVERY_COUNT, "moderation"]),
        (VIEWER, EVERY_COUNT),
    ],
)
def test_each_role_sees_the_figures_it_may(client, role, expected):
    some_counts()
    page = as_role(client, role).get(DASHBOARD)
    assert page.status_code == 200
    assert figures_on(page) == expected
    for name in expected:
        assert client.get(reverse("dashboard:csv", args=[name])).status_code == 200
    for name in {"outbox", "moderation"} - set(expected):
        assert client.get(reverse("dashboard:csv", args=[name])).status_code == 403


def test_an_unknown_figure_is_not_found(client):
    as_role(client, VIEWER)
    assert client.get(reverse("dashboard:csv", args=["nothing"])).status_code == 404


def test_each_chart_comes_with_a_title_and_a_table_of_the_same_figures(client):
    some_counts()
    page = as_role(client, VIEWER).get(DASHBOARD).content.decode()
    charts = page.count('<svg class="dashboard-chart" role="img"')
    assert charts >= 6
    assert page.count("<title id=") == charts
    assert page.count("<desc id=") == charts
    assert page.count("<table>") >= 7
    assert "<script" not in page.split('id="content"')[1]  # the figures need no JavaScript
    # The country figure counts the supporters' own countries and says so.
    assert "Confirmed by the supporter&#x27;s own country" in page
    assert "never the country of a letter&#x27;s recipients" in page
    assert '<th scope="row">Germany (DE)</th><td class="number">3</td>' in page
    assert '<th scope="row">Poland (PL)</th><td class="number">2</td>' in page
    assert "France" not in page  # counted long before the period


def test_the_figures_come_as_csv(client):
    some_counts()
    as_role(client, VIEWER)
    rows = lambda name: list(  # noqa: E731
        csv.reader(io.StringIO(client.get(reverse("dashboard:csv", args=[name])).content.decode()))
    )
    assert rows("by_country") == [["Supporter's country", "Confirmed"], ["Germany (DE)", "3"],
                                  ["Poland (PL)", "2"], ["not given", "1"]]  # fmt: skip
    assert rows("funnel")[1:] == [
        ["Letters", "7", "5", "71 %"],
        ["Endorsements", "1", "1", "100 %"],
    ]
    assert rows("by_partner")[1:] == [["no partner", "4"], ["ver.di", "2"]]
    assert rows("by_source")[1:] == [["no source", "4"], ["link:newsletter", "2"]]
    daily = rows("daily")
    assert daily[0] == ["Day", "Letters", "Endorsements", "New supporters"]
    assert daily[-1] == [timezone.localdate().isoformat(), "5", "1", "4"]
    assert len(daily) == 1 + 30
    assert (
        len(
            client.get(reverse("dashboard:csv", args=["daily"]), {"days": 7})
            .content.decode()
            .splitlines()
        )
        == 8
    )


def test_the_outbox_figure_counts_waiting_failed_and_bouncing(client):
    OutgoingMessage.queue(to=["a@example.org"], subject="s", text="t", kind="test")
    failed = OutgoingMessage.queue(to=["b@example.org"], subject="s", text="t", kind="test")
    OutgoingMessage.objects.filter(pk=failed.pk).update(status=OutgoingMessage.Status.FAILED)
    for _ in range(3):
        AddressHealth.record_hard_failure("b@example.org")
    page = as_role(client, ORGANISER).get(DASHBOARD)
    [outbox] = [f for f in page.context["figures"] if f.name == "outbox"]
    assert dict(outbox.rows) == {
        "Waiting to be sent": 1, "Being sent": 0, "Held for release": 0, "Failed": 1,
        "Addresses bouncing": 1,
    }  # fmt: skip


def test_the_moderation_figure_shows_each_role_the_kinds_it_decides_on(client):
    make_endorsement().confirm()
    page = as_role(client, MODERATOR).get(DASHBOARD)
    [waiting] = [f for f in page.context["figures"] if f.name == "moderation"]
    assert dict(waiting.rows) == {
        "Video messages": 0, "Endorsements": 1, "Action reports": 0,
        "Supporter-hosted actions": 0, "Reports from hosted actions": 0,
    }  # fmt: skip
    client.logout()
    page = as_role(client, ORGANISER).get(DASHBOARD)
    [waiting] = [f for f in page.context["figures"] if f.name == "moderation"]
    assert [row[0] for row in waiting.rows] == [
        "Video messages", "Endorsements", "Action reports", "Supporter-hosted actions",
        "Reports from hosted actions",
    ]  # fmt: skip
    client.logout()
    assert not any(
        f.name == "moderation" for f in as_role(client, VIEWER).get(DASHBOARD).context["figures"]
    )


def test_it_speaks_the_organisers_language(client):
    some_counts()
    as_role(client, VIEWER)
    with translation.override("de"):
        page = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Deutschland (DE)" in page
    assert "Confirmed per day" not in page


def test_the_admin_index_links_the_pages_each_role_may_open(client):
    page = as_role(client, VIEWER).get(reverse("admin:index")).content.decode()
    assert reverse("dashboard:figures") in page
    assert reverse("dashboard:moderation") not in page
    client.logout()
    page = as_role(client, MODERATOR).get(reverse("admin:index")).content.decode()
    assert reverse("dashboard:figures") in page
    assert reverse("dashboard:moderation") in page


def test_the_dashboard_and_the_queue_are_valid_html(client, tmp_path):
    from tests.dashboard.test_one_moderation_queue import everything_waiting
    from tests.web.test_pages_are_valid_html import nu_errors

    some_counts()
    everything_waiting()  # one item of every kind
    as_role(client, ORGANISER)
    pages = {
        path: client.get(path).content
        for path in (f"{DASHBOARD}?days=365", reverse("dashboard:moderation"))
    }
    assert nu_errors(pages, tmp_path) == []
