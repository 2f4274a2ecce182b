"""One upload policy for every upload: a size limit while the body streams, a pixel budget read
from the header before decoding, aborted uploads deleted at once, and an allowance per client
counted before a body is read."""

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from picketline.events.models import HostedReport
from picketline.web.uploads import TooManyPixels, check_picture_header, upload_dir
from tests.events.test_hosted import hosted
from tests.submissions.helpers import png_bomb

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A small, valid PNG of ``width`` × ``height`` black pixels (compressed to almost nothing)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_the_header_check_refuses_a_picture_over_the_pixel_budget():
    with pytest.raises(TooManyPixels, match="megapixels"):
        check_picture_header(png_bomb())
    assert check_picture_header(png_declaring(40, 30)) == ("PNG", 40, 30)


def test_refusing_bombs_costs_less_than_100_mb_of_memory():
    """In a fresh process: the peak memory while refusing an 8000 × 5000 PNG (126 KB), a
    20000 × 20000 one and a 100000 × 100000 one stays within 100 MB of the peak before."""
    script = """
import json, resource, sys
import django
django.setup()
from picketline.submissions import media
from picketline.events.models.hosted import strip_metadata
bombs = [open(path, "rb").read() for path in sys.argv[1:]]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
refused = 0
for data in bombs:
    for check in (
        lambda: media.clean_image(data, max_bytes=10**7, max_side=1600, keep_alpha=False),
        lambda: strip_metadata(data),
    ):
        try:
            check()
        except ValueError:
            refused += 1
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "after_kb": after, "refused": refused}))
"""
    paths = []
    for n, data in enumerate((png_declaring(8000, 5000), png_declaring(20000, 20000), png_bomb())):
        path = Path(settings.SUBMISSIONS_PRIVATE_ROOT) / f"bomb-{n}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(str(path))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script, *paths],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["refused"] == 6
    assert figures["after_kb"] - figures["before_kb"] < 100 * 1024


def report_path() -> str:
    # A report is taken once the action has begun: one that took place yesterday.
    began = timezone.now() - timedelta(days=1)
    action = hosted(starts_at=began, ends_at=began + timedelta(hours=1))
    action.approve()
    return f"/en/events/hosted/report/{action.report_token()}/"


def photo(data: bytes, name: str = "p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_huge_picture_in_a_hosted_report_is_refused_with_a_clear_message(client):
    response = client.post(
        report_path(),
        {"participants": "3", "text": "Short.", "photos": [photo(png_declaring(20000, 20000))]},
    )
    assert response.status_code == 400
    assert "megapixels" in response.content.decode()
    assert HostedReport.objects.count() == 0


def test_a_hosted_report_photo_over_the_size_limit_is_refused(client, settings):
    settings.SUBMISSIONS_IMAGE_MAX_BYTES = 50_000
    big = io.BytesIO()
    Image.effect_noise((400, 400), 100).convert("RGB").save(big, format="PNG")
    assert len(big.getvalue()) > 50_000
    response = client.post(
        report_path(), {"participants": "3", "text": "Short.", "photos": [photo(big.getvalue())]}
    )
    assert response.status_code == 400
    assert HostedReport.objects.count() == 0
    assert list(upload_dir().iterdir()) == []


def test_an_upload_that_breaks_off_leaves_no_file_behind(client):
    boundary = "XyZboundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="participants"\r\n\r\n3\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="photos"; filename="p.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + os.urandom(300_000)  # the body ends inside the file: no closing boundary
    response = client.generic(
        "POST",
        report_path(),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert HostedReport.objects.count() == 0
    assert list(upload_dir().iterdir()) == []


@pytest.mark.parametrize("path", ["/en/submit/video/", "/en/submit/endorse/", "report"])
def test_uploads_past_the_client_allowance_are_refused_before_the_body_is_read(path, settings):
    settings.SUPPORTERS_RATE_LIMITS = {"uploads": ((2, 3600), (0, 3600))}
    path = report_path() if path == "report" else path
    client = Client()
    for _ in range(2):
        assert client.post(path, {}).status_code != 429
    refused = client.post(path, {"photos": [photo(png_declaring(10, 10))]})
    assert refused.status_code == 429
    assert list(upload_dir().iterdir()) == []
