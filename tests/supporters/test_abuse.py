"""No raw IP addresses: keyed daily fingerprints, trusted proxies, rate limits, proof of work."""

import hashlib
import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from picketline.supporters import abuse
from picketline.supporters.models import Subscription, Supporter
from picketline.web import clients

from .helpers import database_text

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"


def request_from(peer: str, forwarded: str = ""):
    meta = {"REMOTE_ADDR": peer}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


def test_the_fingerprint_is_not_the_address_and_changes_every_day():
    today = clients.client_fingerprint(request_from(ADDRESS))
    assert ADDRESS not in today
    assert today == clients.client_fingerprint(request_from(ADDRESS))
    assert today != clients.client_fingerprint(request_from("203.0.113.78"))
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert clients.client_fingerprint(request_from(ADDRESS)) != today


def test_a_spoofed_forwarded_header_changes_nothing_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    plain = clients.client_fingerprint(request_from(ADDRESS))
    spoofed = clients.client_fingerprint(request_from(ADDRESS, forwarded="198.51.100.1"))
    assert plain == spoofed


def test_behind_a_trusted_proxy_it_takes_the_right_most_untrusted_entry(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert clients.client_address(request_from("10.0.0.5", forwarded=ADDRESS)) == ADDRESS
    # The client wrote a fake entry on the left; the proxy appended the real one.
    spoofed = request_from("10.0.0.5", forwarded=f"198.51.100.1, {ADDRESS}")
    assert clients.client_address(spoofed) == ADDRESS
    chained = request_from("10.0.0.5", forwarded=f"198.51.100.1, {ADDRESS}, 10.0.0.9")
    assert clients.client_address(chained) == ADDRESS
    # A peer that is not a trusted proxy is the client, whatever it claims.
    assert clients.client_address(request_from(ADDRESS, forwarded="198.51.100.1")) == ADDRESS


def test_it_limits_per_client_and_per_address(settings):
    settings.SUPPORTERS_RATE_LIMITS = {"subscribe": ((3, 60), (2, 60))}
    results = [abuse.rate_limited(request_from(ADDRESS), "subscribe") for _ in range(4)]
    assert results == [False, False, False, True]
    other = [
        abuse.rate_limited(request_from(f"198.51.100.{i}"), "subscribe", email="ana@example.org")
        for i in range(3)
    ]
    assert other == [False, False, True]


def test_the_subscribe_form_answers_429_past_the_limit(client, settings):
    settings.SUPPORTERS_RATE_LIMITS = {"subscribe": ((2, 60), (10, 60))}
    for i in range(2):
        response = client.post(
            "/en/me/keep-me-informed/",
            {"email": f"p{i}@example.org", "consent_organiser_updates": "on"},
            REMOTE_ADDR=ADDRESS,
        )
        assert response.status_code == 302
    response = client.post(
        "/en/me/keep-me-informed/",
        {"email": "p9@example.org", "consent_organiser_updates": "on"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 429
    assert Subscription.objects.count() == 2


def solve(challenge: str) -> str:
    bits = int(challenge.split(":")[0].rpartition(".")[2])
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if abuse._leading_zero_bits(digest) >= bits:
            return str(nonce)
        nonce += 1


def test_a_solved_proof_of_work_earns_a_larger_allowance_once(settings):
    settings.SUPPORTERS_POW_BITS = 8
    settings.SUPPORTERS_RATE_LIMITS = {"t": ((1, 60), (100, 60))}
    challenge = abuse.new_pow_challenge()
    nonce = solve(challenge)
    assert abuse.check_pow(challenge, nonce)
    wrong = next(
        str(n)
        for n in range(1000)
        if abuse._leading_zero_bits(hashlib.sha256(f"{challenge}:{n}".encode()).digest()) < 8
    )
    assert not abuse.check_pow(challenge, wrong)
    assert not abuse.check_pow(challenge + "x", nonce)

    def solved_request():
        request = RequestFactory().post(
            "/", {"pow_challenge": challenge, "pow_nonce": nonce}, REMOTE_ADDR=ADDRESS
        )
        return request

    assert abuse.rate_limited(request_from(ADDRESS), "t") is False
    assert abuse.rate_limited(request_from(ADDRESS), "t") is True
    # The solution counts once: allowance 1 * 5, and the replay gets the plain limit.
    assert abuse.rate_limited(solved_request(), "t") is False
    assert abuse.rate_limited(solved_request(), "t") is True


def test_the_form_works_without_the_proof_of_work(client):
    page = client.get("/en/me/keep-me-informed/")
    assert b'name="pow_challenge"' in page.content
    response = client.post(
        "/en/me/keep-me-informed/",
        {"email": "nojs@example.org", "consent_organiser_updates": "on"},
    )
    assert response.status_code == 302
    assert Supporter.objects.for_email("nojs@example.org") is not None


def test_the_form_page_is_cached_and_each_visitor_fetches_a_challenge_of_their_own(
    django_assert_num_queries, settings
):
    settings.SUPPORTERS_POW_BITS = 8
    settings.SUPPORTERS_RATE_LIMITS = {"subscribe": ((1, 3600), (10, 3600))}
    first = Client().get("/en/me/keep-me-informed/")
    with django_assert_num_queries(0):  # the same page for everyone: from the page cache
        second = Client().get("/en/me/keep-me-informed/")
    assert second.status_code == 200
    assert b'name="pow_challenge" value=""' in first.content
    assert b'name="pow_challenge" value=""' in second.content

    challenges = [Client().get("/en/me/keep-me-informed/challenge/") for _ in range(2)]
    assert all("no-store" in c["Cache-Control"] for c in challenges)
    one, other = (c.content.decode() for c in challenges)
    assert one != other
    assert abuse.check_pow(one, solve(one))

    # A solved challenge fetched from the server earns the larger allowance, once.
    for number in range(3):
        challenge = Client().get("/en/me/keep-me-informed/challenge/").content.decode()
        response = Client(REMOTE_ADDR=ADDRESS).post(
            "/en/me/keep-me-informed/",
            {
                "email": f"pow{number}@example.org",
                "consent_organiser_updates": "on",
                "pow_challenge": challenge,
                "pow_nonce": solve(challenge),
            },
        )
        assert response.status_code == 302
    assert Subscription.objects.count() == 3


def test_no_log_line_and_no_table_holds_the_client_address(client, caplog):
    caplog.set_level(logging.DEBUG)
    meta = {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": "198.51.100.200"}
    client.post(
        "/en/me/keep-me-informed/",
        {"email": "logs@example.org", "consent_organiser_updates": "on"},
        **meta,
    )
    client.get("/en/me/no-such-page/", **meta)
    client.post("/en/me/privacy/", {"email": "logs@example.org"}, **meta)
    client.get("/en/me/confirm/forged/", **meta)
    client.get("/admin/", **meta)
    client.post("/admin/login/", {"username": "x", "password": "y"}, **meta)
    everything = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert ADDRESS not in everything
    assert "198.51.100.200" not in everything
    assert ADDRESS not in database_text()


def test_rate_limit_counters_are_in_the_shared_limits_store(settings):
    """Counters live in the database (web.Counter), or in Redis when configured, which every
    web process reaches; tests/accounts/test_login_throttle_per_account_and_client.py shows a
    count made in another process."""
    from django.core.cache import caches

    from picketline.web.models import Counter

    assert not settings.REDIS_URL
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    abuse.rate_limited(request, "subscribe", email="counted@example.org")
    assert Counter.objects.filter(key__contains="rl:subscribe:").count() == 2
    caches["default"].clear()  # the page cache's store holds none of it
    settings.SUPPORTERS_RATE_LIMITS = {"subscribe": ((60, 3600), (1, 3600))}
    assert abuse.rate_limited(request, "subscribe", email="counted@example.org")


def test_every_scope_the_site_counts_per_address_is_one_erasure_forgets():
    """``rate_limited`` refuses, with an error, a scope counted per address that
    ``ADDRESS_SCOPES`` does not name: no form of the site may call it so (a form would
    fail for every visitor), and every such counter goes when its address is erased."""
    import ast
    from pathlib import Path

    import picketline

    found = {}
    for path in Path(picketline.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "rate_limited"):
                continue
            if any(keyword.arg == "email" for keyword in node.keywords):
                scope = node.args[1]
                assert isinstance(scope, ast.Constant), f"{path}: a scope read from a variable"
                found[scope.value] = path.name
    assert set(found) <= set(abuse.ADDRESS_SCOPES), found
    assert {"letters", "subscribe", "submissions", "events"} <= set(found)  # the walk finds them
