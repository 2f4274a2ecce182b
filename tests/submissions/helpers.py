"""Builders for submission tests: media made on the spot with ffmpeg and Pillow."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from django.contrib.auth.models import User
from PIL import Image, ImageDraw

from picketline.submissions.admin import moderator_group
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage
from picketline.supporters.models import Consent, Supporter

GPS = "+52.5163+013.3789/"


def make_video(
    path: Path,
    *,
    seconds: int = 2,
    size: str = "320x240",
    container: str = "mov",
    metadata: bool = True,
) -> Path:
    """A short test picture with a tone; with GPS position, device and creation time."""
    args = [
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-shortest", "-pix_fmt", "yuv420p",
    ]  # fmt: skip
    if container == "webm":
        args += ["-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus", "-f", "webm"]
    else:
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"]
    if metadata:
        args += [
            "-metadata", f"location={GPS}",
            "-metadata", f"location-eng={GPS}",
            "-metadata", f"com.apple.quicktime.location.ISO6709={GPS}",
            "-metadata", "make=Sneakyphone",
            "-metadata", "model=Sneakyphone 12 Pro",
            "-metadata", "com.apple.quicktime.make=Sneakyphone",
            "-metadata", "creation_time=2024-04-19T10:11:12Z",
            "-metadata", "title=Recorded at the embassy",
        ]  # fmt: skip
        if container == "mov":
            args += ["-movflags", "use_metadata_tags"]
    args.append(str(path))
    subprocess.run(args, check=True)
    return path


def png_bytes(size=(40, 30), color=(200, 30, 30, 255)) -> bytes:
    image = Image.new("RGBA", size, color)
    ImageDraw.Draw(image).ellipse((5, 5, size[0] - 5, size[1] - 5), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG photo carrying EXIF with a camera make and a GPS position."""
    image = Image.new("RGB", (64, 48), (30, 90, 200))
    exif = Image.Exif()
    exif[0x010F] = "Sneakycam"  # Make
    exif[0x0110] = "Sneakycam X"  # Model
    gps = {1: "N", 2: (52.0, 30.0, 58.68), 3: "E", 4: (13.0, 22.0, 43.2)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def png_bomb() -> bytes:
    """A tiny PNG that declares 100000 × 100000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def files_under(*roots: Path) -> list[Path]:
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def make_moderator(username: str = "mod", email: str = "mod@example.org") -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, email, "a-long-password-for-tests", is_staff=True)
        user.groups.add(moderator_group())
    return user


def supporter(email: str = "ana@example.org", name: str = "Ana Example", language: str = "en"):
    found, _ = Supporter.get_or_create_for_email(email, name=name, language=language)
    return found


def make_video_message(*, link: str = "https://video.example/watch/1", **fields) -> VideoMessage:
    values = {
        "supporter": supporter(),
        "text": "Solidarity from Leipzig",
        "hashtags": "#FreeThem",
        "display_name": VideoMessage.DisplayName.FIRST_AND_COUNTRY,
        "public_name": "Ana",
        "public_country": "DE",
        "link": link,
    }
    values.update(fields)
    video = VideoMessage.objects.create(**values)
    Consent.record(
        video.supporter, Consent.Purpose.PUBLISH_FACE_VOICE, "publish", "en", "/", action=video
    )
    return video


def make_endorsement(**fields) -> Endorsement:
    values = {
        "supporter": supporter("contact@union.example", "Private Contactperson"),
        "organisation": "Example Metalworkers",
        "country": "DE",
        "kind": Endorsement.Kind.UNION,
        "members": 12000,
        "statement": "We stand with you.",
    }
    values.update(fields)
    return Endorsement.objects.create(**values)


def make_report(**fields) -> ActionReport:
    from datetime import date

    values = {
        "supporter": supporter("reporter@example.org", "Private Reporter"),
        "kind": ActionReport.Kind.PICKET,
        "country": "FR",
        "happened_on": date(2024, 4, 19),
        "title": "Picket at the embassy",
        "text": "Forty of us stood outside for an hour.",
    }
    values.update(fields)
    return ActionReport.objects.create(**values)
