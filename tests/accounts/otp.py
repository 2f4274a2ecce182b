"""Tests log organisers in with ``client.force_login(user)``, which skips the password; this
makes it skip the second factor too, by attaching a confirmed TOTP device to the session the way
a real code would. The log-in itself (password, then code) is tested in test_accounts.py by
posting to /admin/login/, which this does not touch."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

_plain_force_login = Client.force_login


def force_login_verified(self: Client, user, backend: str | None = None) -> None:
    _plain_force_login(self, user, backend)
    if user.is_staff:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now, e.g. for a browser test's log-in."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
