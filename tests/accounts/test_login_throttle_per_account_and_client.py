"""The log-in throttle counts per account and client, never for everyone, in counters every
web process shares."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-1"


@pytest.fixture
def staff():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("orga", password=PASSWORD, is_staff=True)
    # Set up as every organiser is (from a one-time link): the password step then leads on to
    # the code, a redirect.
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def log_in(client, username="orga", password=PASSWORD, address="203.0.113.7"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_bad_log_ins_with_random_usernames_lock_out_no_organiser(staff):
    # Behind a proxy that hides addresses every visitor looks like one client.
    attacker, organiser = Client(), Client()
    for n in range(20):
        assert log_in(attacker, username=f"random-{n}", password="x").status_code == 200
    assert log_in(organiser).status_code == 302


def test_an_account_locked_from_one_client_still_opens_from_another(staff):
    for _ in range(5):
        log_in(Client(), password="wrong")
    assert log_in(Client()).status_code == 429
    assert log_in(Client(), address="198.51.100.9").status_code == 302


@pytest.mark.postgres  # SQLite's test database lives in memory, unseen by another process
def test_failures_counted_in_one_process_block_the_next(staff):
    """Another Python process records five failures; this one refuses the sixth try."""
    settings_dict = connection.settings_dict
    script = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='tests.settings';"
        "django.setup();"
        "from django.db import connection;"
        f"connection.settings_dict['NAME']={str(settings_dict['NAME'])!r};"
        "from django.test import Client;"
        "c=Client();"
        "[c.post('/admin/login/',{'username':'orga','password':'wrong'},"
        "REMOTE_ADDR='203.0.113.7') for _ in range(5)]"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert log_in(Client()).status_code == 429
