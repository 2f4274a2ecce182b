import pytest

pytest_plugins = ["tests.fixtures.smtp", "tests.fixtures.s3", "tests.fixtures.logs"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (page cache, rate limits) and forgets the consent
    wordings a process remembers (tests that commit empty the database afterwards; primary
    keys come again) and the dangerous countries it read (a test's rows go back without a new
    content version)."""
    from django.core.cache import cache

    from picketline.supporters.models import forget_dangerous_codes, forget_known_wordings

    cache.clear()
    forget_known_wordings()
    forget_dangerous_codes()
    yield
    cache.clear()
    forget_known_wordings()
    forget_dangerous_codes()


@pytest.fixture(autouse=True)
def _fresh_limits(request):
    """Rate-limit counters live in the database (web.Counter): a test that uses the database
    starts without counters and leaves none behind."""
    from picketline.web import limits

    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if not uses_db:
        yield
        return
    from django.db import DatabaseError

    request.getfixturevalue("db")
    limits.clear_all()
    yield
    try:
        limits.clear_all()
    except DatabaseError:
        pass  # the test broke its connection on purpose; the next test clears at its start


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """Outside demo the admin wants a TOTP code; ``client.force_login`` skips it as it skips the
    password (see tests.accounts.otp.py)."""
    from django.test import Client

    from tests.accounts.otp import force_login_verified

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in another language leaves that language active in the thread; start each
    test from the default so one test's language never leaks into the next."""
    from django.utils import translation

    yield
    translation.activate("en")
