import pytest
from django.core.management import call_command
from django.db import connection

from picketline.lib.crypto import new_key_text
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Supporter
from picketline.web.fields import key_ring

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_key_ring():
    key_ring.cache_clear()
    yield
    key_ring.cache_clear()


def raw_values(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_it_re_encrypts_every_encrypted_column_with_the_new_key(settings, capsys):
    old = list(settings.ENCRYPTION_KEYS)
    key_ring.cache_clear()
    Supporter.get_or_create_for_email("ana@example.org", name="Ana", phone="+49 30 1234")
    OutgoingMessage.queue(to=["ana@example.org"], subject="Hi", text="Body", kind="test")
    assert all(v.startswith("k1$") for v in raw_values("supporters_supporter", "email"))

    settings.ENCRYPTION_KEYS = [new_key_text("k2"), *old]
    key_ring.cache_clear()
    call_command("rotate_keys", batch=1)
    assert "Supporter: 3 re-encrypted" in capsys.readouterr().out
    for table, column in [
        ("supporters_supporter", "email"),
        ("supporters_supporter", "name"),
        ("mail_outgoingmessage", "to"),
        ("mail_outgoingmessage", "body_text"),
    ]:
        assert all(v.startswith("k2$") for v in raw_values(table, column)), (table, column)

    # The old key can now go: everything still reads.
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    key_ring.cache_clear()
    supporter = Supporter.objects.for_email("ana@example.org")
    assert (supporter.name, supporter.phone) == ("Ana", "+49 30 1234")
    assert OutgoingMessage.objects.get().body_text == "Body"


def test_it_is_idempotent(settings, capsys):
    settings.ENCRYPTION_KEYS = [new_key_text("k2"), *settings.ENCRYPTION_KEYS]
    Supporter.get_or_create_for_email("ana@example.org", name="Ana")
    call_command("rotate_keys")
    capsys.readouterr()
    call_command("rotate_keys")
    assert "Supporter: 0 re-encrypted" in capsys.readouterr().out


def test_generate_keys_prints_keys_that_load(capsys, settings):
    call_command("generate_keys", key_id="k9")
    out = capsys.readouterr().out.splitlines()
    keys = out[0].split("=", 1)[1]
    index = out[1].split("=", 1)[1]
    settings.ENCRYPTION_KEYS = [keys]
    settings.ENCRYPTION_INDEX_KEY = index
    key_ring.cache_clear()
    ring = key_ring()
    assert ring.current.id == "k9"
    assert ring.decrypt(ring.encrypt("x")) == "x"


def test_generate_keys_runs_on_a_fresh_machine_with_no_settings_at_all(tmp_path):
    """No SECRET_KEY, no keys, no SITE_URL, no data folder: the command that makes the keys
    must not need them."""
    import subprocess
    import sys

    from picketline.lib.crypto import key_from_text

    result = subprocess.run(
        [sys.executable, "-m", "picketline.cli", "generate_keys", "--key-id", "k7"],
        env={},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    keys_line, index_line = result.stdout.splitlines()
    name, _, keys = keys_line.partition("=")
    assert name == "PICKETLINE_ENCRYPTION_KEYS" and key_from_text(keys).id == "k7"
    assert index_line.startswith("PICKETLINE_INDEX_KEY=")
    assert list(tmp_path.iterdir()) == []  # no data folder, no key file written
