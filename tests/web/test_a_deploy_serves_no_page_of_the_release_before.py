"""During a rolling deploy, processes of two releases share one Redis. A page the old release
cached (its form, its static addresses) must not be served by the new one, nor the reverse,
while the rate-limit counters carry on across the deploy. Needs Redis on 127.0.0.1:6379 (a
missing one fails the test)."""

from __future__ import annotations

import secrets
from pathlib import Path

import django
import pytest
from django.core.cache import caches

from picketline.lib import release
from picketline.lib.redis_caches import redis_caches
from tests.web import views

pytestmark = [pytest.mark.urls("tests.web.urls"), pytest.mark.django_db]
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def shared_redis(settings):
    settings.REDIS_URL = REDIS
    settings.CACHES = redis_caches(REDIS)  # what settings.py makes of REDIS_URL
    assert caches["default"].get_or_set("redis-is-there", 1) == 1, "Redis is not answering"
    views.calls.clear()
    yield
    release.release.cache_clear()


def run_release(settings, name: str) -> None:
    """This process now runs the release ``name``, as a freshly started one would."""
    settings.PICKETLINE_RELEASE = name
    release.release.cache_clear()


def test_a_new_release_makes_its_own_pages_and_the_old_one_keeps_its_own(
    shared_redis, client, settings
):
    old, new = f"old-{secrets.token_hex(6)}", f"new-{secrets.token_hex(6)}"
    run_release(settings, old)
    client.get("/en/form/")
    client.get("/en/form/")
    assert views.calls["with_form"] == 1  # the old release serves its page from Redis

    run_release(settings, new)
    client.get("/en/form/")
    assert views.calls["with_form"] == 2  # the new release made the page afresh
    client.get("/en/form/")
    assert views.calls["with_form"] == 2

    run_release(settings, old)  # a process of the old release, still running
    client.get("/en/form/")
    assert views.calls["with_form"] == 2  # still its own page, not the new release's


def test_the_rate_limit_counters_carry_on_across_a_deploy(shared_redis, settings):
    key = f"deploy-test-{secrets.token_hex(6)}"
    run_release(settings, f"old-{secrets.token_hex(6)}")
    caches["limits"].set(key, 7, 60)
    caches["default"].set(key, "page", 60)
    run_release(settings, f"new-{secrets.token_hex(6)}")
    assert caches["limits"].get(key) == 7
    assert caches["default"].get(key) is None


def test_without_a_named_release_the_package_files_name_it(tmp_path: Path):
    (tmp_path / "views.py").write_text("page = 'v1'\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "form.html").write_text("<form>{{ token }}</form>\n")
    (tmp_path / "__pycache__").mkdir()
    first = release.package_digest(tmp_path)
    (tmp_path / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\0compiled")
    assert release.package_digest(tmp_path) == first  # bytecode follows the source
    (tmp_path / "templates" / "form.html").write_text("<form>{{ token }} {{ more }}</form>\n")
    edited = release.package_digest(tmp_path)
    assert edited != first
    (tmp_path / "templates" / "extra.html").write_text("")
    assert release.package_digest(tmp_path) not in (first, edited)
    assert len(first) == 16


def test_compiled_translations_do_not_name_another_release(tmp_path: Path):
    """``picketline serve`` compiles a .mo that looks older than its .po at start-up, while the
    worker, started with it, may have read the package already: both run the same release."""
    catalogue = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "django.po").write_text('msgid "Save"\nmsgstr "Сохранить"\n')
    (catalogue / "django.mo").write_bytes(b"\xde\x12\x04\x95 as compiled before")
    before = release.package_digest(tmp_path)
    (catalogue / "django.mo").write_bytes(b"\xde\x12\x04\x95 compiled again, by another msgfmt")
    assert release.package_digest(tmp_path) == before
    (catalogue / "django.po").write_text('msgid "Save"\nmsgstr "Сохранить изменения"\n')
    assert release.package_digest(tmp_path) != before  # the translations themselves count


def test_a_deploy_that_only_upgrades_django_starts_a_new_cache(settings, monkeypatch):
    """A security release of Django changes no file of ours; a model instance it pickled is
    not for the next version (Django warns on each read), so the release changes with it."""
    settings.PICKETLINE_RELEASE = ""
    assert f"django-{django.__version__}.dist-info" in release.installed().lower().splitlines()
    release.release.cache_clear()
    before = release.release()
    upgraded = release.installed().replace(f"-{django.__version__}.dist-info", "-9.9.9.dist-info")
    monkeypatch.setattr(release, "installed", lambda: upgraded)
    release.release.cache_clear()
    try:
        assert release.release() != before
    finally:
        release.release.cache_clear()
