import pytest
from django.core.management import CommandError, call_command
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
    out = capsys.readouterr().out
    assert "supporters.Supporter.email: 1 re-encrypted, 0 already under the current key" in out
    assert "supporters.Supporter.name: 1 re-encrypted" in out
    assert "mail.OutgoingMessage.body_text: 1 re-encrypted" in out
    assert "Every encrypted value now uses the current key." in out
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
    out = capsys.readouterr().out
    assert "supporters.Supporter.email: 0 re-encrypted, 1 already under the current key" in out
    assert "\n0 values re-encrypted." in out


def with_keys(settings, *keys: str) -> None:
    settings.ENCRYPTION_KEYS = list(keys)
    key_ring.cache_clear()


def test_it_rotates_every_value_it_can_read_and_counts_those_it_cannot(settings, capsys):
    """A key taken out too early: the values under it are skipped and counted (never shown),
    every other value is rotated, and the command fails so that the operator sees it."""
    k0, k1, k2 = new_key_text("k0"), new_key_text("k1"), new_key_text("k2")
    with_keys(settings, k0)
    Supporter.get_or_create_for_email("early@example.org", name="Early Bird", phone="+49 30 1")
    with_keys(settings, k1, k0)
    Supporter.get_or_create_for_email("later@example.org", name="Later Person")
    OutgoingMessage.queue(to=["later@example.org"], subject="Hi", text="Secret body", kind="test")

    with_keys(settings, k2, k1)  # k0 went before its values were rotated
    for _ in range(2):  # and a second run does the same, rotating nothing twice
        with pytest.raises(CommandError, match="3 could not be read") as failed:
            call_command("rotate_keys", batch=1)
        assert failed.value.returncode == 1
        out = capsys.readouterr().out
        assert "supporters.Supporter.email: " in out and ", 1 unreadable" in out
        assert "supporters.Supporter.name: " in out
        assert (
            "supporters.Supporter.phone: 0 re-encrypted, 0 already under the current key, "
            "1 unreadable" in out
        )
        assert "    1 unreadable: key 'k0' is not in PICKETLINE_ENCRYPTION_KEYS" in out
        for secret in ("early@", "Early Bird", "later@", "Later Person", "Secret body", "k0$"):
            assert secret not in out and secret not in str(failed.value)

    # Everything after the unreadable row is under the new key; the unreadable one as it was.
    later = Supporter.objects.for_email("later@example.org")
    assert later.name == "Later Person"
    assert OutgoingMessage.objects.get().body_text == "Secret body"
    emails = raw_values("supporters_supporter", "email")
    assert sorted(value.partition("$")[0] for value in emails) == ["k0", "k2"]
    for table, column in [("mail_outgoingmessage", "to"), ("mail_outgoingmessage", "body_text")]:
        assert all(v.startswith("k2$") for v in raw_values(table, column)), (table, column)

    with_keys(settings, k2, k1, k0)  # the key back: a run rotates the rest and succeeds
    call_command("rotate_keys")
    out = capsys.readouterr().out
    assert (
        "supporters.Supporter.phone: 1 re-encrypted, 0 already under the current key, "
        "0 unreadable" in out
    )
    assert "Every encrypted value now uses the current key." in out
    with_keys(settings, k2)
    early = Supporter.objects.for_email("early@example.org")
    assert (early.name, early.phone) == ("Early Bird", "+49 30 1")


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


def test_mail_it_cannot_read_is_the_outboxs_unreadable_mail_on_readyz(
    settings, capsys, client, smtp_server
):
    from picketline.mail import outbox

    k0, k1 = new_key_text("k0"), new_key_text("k1")
    with_keys(settings, k0)
    OutgoingMessage.queue(to=["bob@example.org"], subject="Hi", text="Secret body", kind="test")
    with_keys(settings, k1)  # k0 went while the message still waited

    with pytest.raises(CommandError, match="0 values re-encrypted; 4 could not be read"):
        call_command("rotate_keys")
    out = capsys.readouterr().out
    assert (
        "mail.OutgoingMessage.body_text: 0 re-encrypted, 0 already under the current key, "
        "1 unreadable" in out
    )
    outbox.send_due()  # the worker sets it aside, as rotate_keys left it
    assert "unreadable-mail found 1\n" in client.get("/readyz").content.decode()

    with_keys(settings, k1, k0)  # the key back: the message goes again, and is rotated
    assert OutgoingMessage.objects.all().send_again_if_readable() == (1, 0)
    call_command("rotate_keys")
    assert "Every encrypted value now uses the current key." in capsys.readouterr().out
    assert "unreadable-mail ok 0\n" in client.get("/readyz").content.decode()
