"""The camera at the door, for real: Chromium's fake camera shows a registrant's entry code
(drawn by our server, made into a video with ffmpeg), the page's script reads it and checks
the person in. Chromium on Linux has no BarcodeDetector, so this is the path through our copy
of jsQR; elsewhere the browser's own detector reads the same code."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from picketline.events import check_in
from picketline.supporters.models import Supporter
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Recorder
from tests.events.helpers import confirmed_registration, street_action
from tests.fixtures.accounts import login_verified

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the camera's video"),
]


@pytest.fixture(scope="module")
def camera_video(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("camera") / "camera.y4m")


@pytest.fixture(scope="module")
def browser_with_camera(camera_video) -> Iterator[Browser]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        args = [
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera_video}",
        ]
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def film(png: bytes, path: str) -> None:
    """A short video of the code on a white sheet, as a phone held up to it would see."""
    code = Image.open(io.BytesIO(png)).convert("RGB")
    sheet = Image.new("RGB", (640, 480), "white")
    code.thumbnail((440, 440))
    sheet.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    still = path.replace(".y4m", ".png")
    sheet.save(still)
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", still, "-t", "2", "-r", "10"]
        + ["-pix_fmt", "yuv420p", path],
        check=True,
        timeout=60,
    )


def test_the_camera_reads_the_entry_code_and_checks_the_person_in(
    live_server, browser_with_camera, camera_video
):
    event = street_action(registration_required=True)
    Supporter.get_or_create_for_email("ales@example.org", name="Aleś Bialiacki")
    ales = confirmed_registration(event, "ales@example.org")
    film(check_in.qr_png(ales), camera_video)

    user = User.objects.create_user("door", password="x" * 12, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="check_in_registrants"))
    client = Client()
    login_verified(client, user)
    recorder = Recorder(origin=live_server.url.rstrip("/").lower())
    context = browser_with_camera.new_context(base_url=recorder.origin, service_workers="block")
    recorder.attach(context)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": recorder.origin,
            }
        ]
    )
    page = context.new_page()
    page.goto("/en/events/organise/berlin/check-in/")
    with page.expect_navigation(timeout=30000):
        page.click("[data-scanner-start]")
    assert "Checked in" in page.content() and "Aleś Bialiacki" in page.content()
    ales.refresh_from_db()
    assert ales.checked_in_at is not None and ales.checked_in_by == user
    if not page.evaluate("'BarcodeDetector' in window"):
        assert any(url.endswith("/vendor/jsqr/jsQR.js") for url in recorder.requests)
    context.close()
    recorder.assert_clean()
