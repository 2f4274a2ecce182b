"""Checking and cleaning what supporters upload: videos (ffprobe/ffmpeg) and images (Pillow).

Every check reads the content, never the file name. A file passes only if its structure accounts
for every byte (so nothing can ride along in front of or behind the picture), the decoder reads it
from start to end without an error, and it is one of the formats we accept. What is published is
always re-encoded from scratch, with no metadata carried over.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from picketline.web.uploads import PictureRefused, TooManyPixels, check_picture_header

FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"

# What ffprobe calls the containers we accept: MP4 and QuickTime share a demuxer, WebM is Matroska.
VIDEO_FORMATS = {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"}
# Codecs that are pictures, not moving video (a cover image inside an audio file, for instance).
STILL_CODECS = {"png", "mjpeg", "bmp", "gif", "webp", "tiff"}
PROBE_TIMEOUT = 120
ENCODE_TIMEOUT = 60 * 60

# Output: at most 1280×720 (or 720×1280 upright), H.264 main profile + AAC, moov atom first.
MAX_WIDTH = 1280
MAX_HEIGHT = 1280


class MediaRefused(ValueError):
    """The upload is not acceptable; ``str(exc)`` is a message for the person who sent it."""


@dataclass(frozen=True)
class VideoInfo:
    container: str
    duration: float
    width: int
    height: int
    has_audio: bool


# ---------------------------------------------------------------------------------------------
# Container structure: every byte must belong to a known box (MP4/MOV) or element (WebM).

MP4_TOP_LEVEL = {
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"pnot", b"udta", b"meta",
    b"pdin", b"moof", b"mfra", b"sidx", b"ssix", b"styp", b"prft", b"emsg",
}  # fmt: skip
MP4_FIRST = {b"ftyp", b"wide", b"free", b"skip", b"moov", b"mdat", b"pnot"}

EBML_MAGIC = b"\x1a\x45\xdf\xa3"
MKV_SEGMENT = 0x18538067
MKV_CLUSTER = 0x1F43B675
MKV_SEGMENT_CHILDREN = {
    0x114D9B74,  # SeekHead
    0x1549A966,  # Info
    0x1654AE6B,  # Tracks
    MKV_CLUSTER,
    0x1C53BB6B,  # Cues
    0x1941A469,  # Attachments
    0x1043A770,  # Chapters
    0x1254C367,  # Tags
    0xEC,  # Void
    0xBF,  # CRC-32
}
MKV_CLUSTER_CHILDREN = {0xE7, 0xA3, 0xA0, 0xA7, 0xAB, 0xAF, 0xEC, 0xBF, 0x5854}


def _refuse_structure() -> MediaRefused:
    return MediaRefused(
        _(
            "This file holds something besides a video, or its parts do not fit together. "
            "Please export the video again from your phone or camera and upload that file."
        )
    )


def _refuse_truncated() -> MediaRefused:
    return MediaRefused(
        _(
            "This video is damaged or incomplete (perhaps the upload was cut off). "
            "Please try again with the complete file."
        )
    )


def check_mp4_structure(path: Path) -> None:
    size = path.stat().st_size
    with path.open("rb") as f:
        position = 0
        first = True
        while position < size:
            f.seek(position)
            header = f.read(8)
            if len(header) < 8:
                raise _refuse_structure()
            box_size, box_type = struct.unpack(">I4s", header)
            if first and box_type not in MP4_FIRST:
                raise _refuse_structure()
            if box_type not in MP4_TOP_LEVEL:
                raise _refuse_structure()
            if box_size == 1:
                large = f.read(8)
                if len(large) < 8:
                    raise _refuse_truncated()
                box_size = struct.unpack(">Q", large)[0]
                if box_size < 16:
                    raise _refuse_structure()
            elif box_size == 0:
                box_size = size - position  # "to the end of the file"
            elif box_size < 8:
                raise _refuse_structure()
            if position + box_size > size:
                raise _refuse_truncated()
            position += box_size
            first = False


def _read_vint(f: io.BufferedReader, keep_marker: bool) -> tuple[int, int, bool]:
    """One EBML variable-length integer: (value, length in bytes, all value bits set)."""
    first = f.read(1)
    if not first:
        raise EOFError
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise _refuse_structure()
    rest = f.read(length - 1)
    if len(rest) < length - 1:
        raise EOFError
    value = byte if keep_marker else byte & (mask - 1)
    for b in rest:
        value = (value << 8) | b
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def check_webm_structure(path: Path) -> None:
    size = path.stat().st_size
    with path.open("rb") as f:
        if f.read(4) != EBML_MAGIC:
            raise _refuse_structure()
        f.seek(0)
        try:
            # The EBML header, then exactly one Segment that reaches the end of the file.
            _id, _ = _read_vint(f, True)[:2]
            header_size, _, unknown = _read_vint(f, False)
            if unknown:
                raise _refuse_structure()
            f.seek(f.tell() + header_size)
            segment_id = _read_vint(f, True)[0]
            if segment_id != MKV_SEGMENT:
                raise _refuse_structure()
            segment_size, _, unknown = _read_vint(f, False)
            start = f.tell()
            if not unknown:
                if start + segment_size > size:
                    raise _refuse_truncated()
                if start + segment_size != size:
                    raise _refuse_structure()
            _walk_segment(f, start, size)
        except EOFError:
            raise _refuse_truncated() from None


def _walk_segment(f: io.BufferedReader, position: int, end: int) -> None:
    in_open_cluster = False
    while position < end:
        f.seek(position)
        element_id = _read_vint(f, True)[0]
        element_size, _, unknown = _read_vint(f, False)
        body = f.tell()
        if in_open_cluster and element_id in MKV_CLUSTER_CHILDREN:
            pass
        elif element_id in MKV_SEGMENT_CHILDREN:
            in_open_cluster = False
        else:
            raise _refuse_structure()
        if unknown:
            # Recorders that stream (a browser's MediaRecorder) leave cluster sizes open; the
            # cluster then runs until the next element that cannot be inside it.
            if element_id != MKV_CLUSTER:
                raise _refuse_structure()
            in_open_cluster = True
            position = body
            continue
        if body + element_size > end:
            raise _refuse_truncated()
        position = body + element_size


# ---------------------------------------------------------------------------------------------
# Videos


def _run(args: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
    )


def _make(args: list[str], timeout: int, what: str) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg to make a file: one that hangs is killed after ``timeout`` seconds and the
    try fails (not a worker stuck for ever, nor a try counted as interrupted)."""
    try:
        return _run(args, timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{what} took longer than {timeout} s and was stopped") from None


def inspect_video(path: Path) -> VideoInfo:
    """Return what the file is, or raise MediaRefused with a message for the sender."""
    size = path.stat().st_size
    if size == 0:
        raise MediaRefused(_("The file is empty."))
    not_video = MediaRefused(
        _(
            "This file is not a video we can play. "
            "Please upload an MP4, WebM or QuickTime (MOV) video."
        )
    )
    with path.open("rb") as f:
        head = f.read(12)
    if head.startswith(EBML_MAGIC):
        check_webm_structure(path)
    elif len(head) >= 8 and head[4:8] in MP4_FIRST:
        check_mp4_structure(path)
    else:
        raise not_video
    try:
        probe = _run(
            [
                FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                str(path),
            ],
            PROBE_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise not_video from None
    if probe.returncode != 0:
        if "moov atom not found" in probe.stderr or "End of file" in probe.stderr:
            raise _refuse_truncated()
        raise not_video
    data = json.loads(probe.stdout or "{}")
    container = data.get("format", {}).get("format_name", "")
    if container not in VIDEO_FORMATS:
        raise not_video
    streams = data.get("streams", [])
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video"
        and s.get("codec_name") not in STILL_CODECS
        and not s.get("disposition", {}).get("attached_pic")
    ]
    if not video:
        raise MediaRefused(_("This file has no moving picture. Please upload a video."))
    try:
        duration = float(data["format"].get("duration") or video[0].get("duration") or 0)
    except ValueError:
        duration = 0.0
    if duration < 0 or (duration == 0 and not container.startswith("matroska")):
        # Browser recordings (WebM) often carry no duration; the decode below still reads them.
        raise not_video
    # Read the whole file through the decoder (key frames only, which is quick): a cut-off or
    # damaged file shows up here even when its header looks fine.
    try:
        decode = _run(
            [
                FFMPEG, "-nostdin", "-v", "error", "-xerror", "-skip_frame", "nokey", "-i",
                str(path), "-map", "0:v:0", "-map", "0:a:0?", "-f", "null", "-",
            ],
            PROBE_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise not_video from None
    if decode.returncode != 0 or decode.stderr.strip():
        raise _refuse_truncated()
    return VideoInfo(
        container="webm" if container.startswith("matroska") else "mp4",
        duration=duration,
        width=int(video[0].get("width") or 0),
        height=int(video[0].get("height") or 0),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
    )


def transcode_video(source: Path, target: Path, poster: Path) -> VideoInfo:
    """Re-encode ``source`` into a web-friendly MP4 without any metadata, and a JPEG poster.

    ``-map_metadata -1`` and ``-map_chapters -1`` drop container, stream and chapter tags (GPS
    position, device, creation time); ``+bitexact`` keeps ffmpeg from writing its own encoder
    tags and a creation time; only the first video and audio streams are kept, so subtitle,
    data and attachment streams are left behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    poster.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part.mp4")
    scale = (
        f"scale='min({MAX_WIDTH},iw)':'min({MAX_HEIGHT},ih)':force_original_aspect_ratio=decrease"
        ":force_divisible_by=2,setsar=1"
    )
    result = _make(
        [
            FFMPEG, "-nostdin", "-y", "-v", "error", "-i", str(source),
            "-map", "0:v:0", "-map", "0:a:0?",
            "-map_metadata", "-1", "-map_chapters", "-1",
            "-vf", scale,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "25", "-profile:v", "main",
            "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-movflags", "+faststart",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            "-metadata:s:v", "handler_name=", "-metadata:s:a", "handler_name=",
            "-f", "mp4", str(partial),
        ],
        ENCODE_TIMEOUT,
        "ffmpeg",
    )  # fmt: skip
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"ffmpeg failed: {result.stderr[-500:]}")
    partial.replace(target)
    info = inspect_video(target)
    moment = f"{min(1.0, info.duration / 2):.2f}"
    poster_partial = poster.with_name(poster.name + ".part.jpg")
    result = _make(
        [
            FFMPEG, "-nostdin", "-y", "-v", "error", "-ss", moment, "-i", str(target),
            "-frames:v", "1", "-map_metadata", "-1", "-fflags", "+bitexact",
            "-flags:v", "+bitexact", "-q:v", "4", "-f", "image2", str(poster_partial),
        ],
        PROBE_TIMEOUT,
        "ffmpeg poster",
    )  # fmt: skip
    if result.returncode != 0:
        poster_partial.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise RuntimeError(f"ffmpeg poster failed: {result.stderr[-500:]}")
    poster_partial.replace(poster)
    return info


def metadata_tags(path: Path) -> dict[str, str]:
    """Every tag ffprobe finds in the container, its streams and chapters (for checks)."""
    probe = _run(
        [
            FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
            "-show_chapters", str(path),
        ],
        PROBE_TIMEOUT,
    )  # fmt: skip
    data = json.loads(probe.stdout or "{}")
    tags: dict[str, str] = {}
    tags.update(data.get("format", {}).get("tags", {}))
    for stream in data.get("streams", []):
        for key, value in stream.get("tags", {}).items():
            tags[f"stream{stream.get('index')}:{key}"] = value
    for chapter in data.get("chapters", []):
        for key, value in chapter.get("tags", {}).items():
            tags[f"chapter:{key}"] = value
    return tags


# ---------------------------------------------------------------------------------------------
# Images

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_IMAGE_SIDE = 8000


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int


def _refuse_image_structure() -> MediaRefused:
    return MediaRefused(
        _(
            "This file holds something besides one picture. "
            "Please save the picture again (for example as a screenshot) and upload that."
        )
    )


def _check_png(data: bytes) -> None:
    position = 8
    while True:
        if position + 12 > len(data):
            raise _refuse_image_structure()
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        position += 12 + length
        if kind == b"IEND":
            break
    if position != len(data):
        raise _refuse_image_structure()


def _check_webp(data: bytes) -> None:
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        raise _refuse_image_structure()


def _check_jpeg(data: bytes) -> None:
    """Walk the markers to the end-of-image marker; nothing may follow it but zero padding."""
    position = 2
    n = len(data)
    while position < n:
        if data[position] != 0xFF:
            raise _refuse_image_structure()
        marker = data[position + 1] if position + 1 < n else None
        if marker is None:
            raise _refuse_image_structure()
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            position += 2
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        if position + 4 > n:
            raise _refuse_image_structure()
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        position += 2 + length
        if marker == 0xDA:
            # Entropy-coded data: 0xFF is escaped as FF 00; restart markers may appear.
            while position + 1 < n:
                if data[position] == 0xFF and data[position + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                position += 1
            else:
                raise _refuse_image_structure()
    else:
        raise _refuse_image_structure()
    if data[position:].strip(b"\x00"):
        raise _refuse_image_structure()


def clean_image(
    upload: io.BufferedIOBase | bytes, *, max_bytes: int, max_side: int, keep_alpha: bool
) -> CleanImage:
    """Check an uploaded image and return a fresh re-encoding of its pixels (PNG when
    ``keep_alpha``, else WebP), scaled to at most ``max_side`` and without any metadata."""
    data = upload if isinstance(upload, bytes) else upload.read(max_bytes + 1)
    if not data:
        raise MediaRefused(_("The file is empty."))
    if len(data) > max_bytes:
        raise MediaRefused(
            _("The picture is larger than %(size)d MB.") % {"size": max_bytes // 1_000_000}
        )
    not_image = MediaRefused(
        _("This file is not a picture we accept: please use JPEG, PNG or WebP.")
    )
    # Only the header is read here: the declared size is checked before a single pixel is
    # decoded, since a small file can claim billions of pixels and fill the memory unpacked.
    try:
        kind, width, height = check_picture_header(data)
    except TooManyPixels as refused:
        raise MediaRefused(str(refused)) from None
    except PictureRefused:
        raise not_image from None
    if kind not in IMAGE_FORMATS:
        raise not_image
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        raise MediaRefused(
            _("The picture has too many pixels; at most %(side)d on each side, please.")
            % {"side": MAX_IMAGE_SIDE}
        )
    {"PNG": _check_png, "JPEG": _check_jpeg, "WEBP": _check_webp}[kind](data)
    try:
        with Image.open(io.BytesIO(data)) as checked:
            checked.verify()
        with Image.open(io.BytesIO(data)) as image:
            # Scaled down first (a JPEG is even decoded at a reduced size), so the copies the
            # turning and the conversion make are small.
            if image.mode in ("P", "1"):
                image = image.convert("RGBA" if keep_alpha else "RGB")
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            image = ImageOps.exif_transpose(image)
            has_alpha = image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info
            )
            mode = "RGBA" if keep_alpha and has_alpha else "RGB"
            image = image.convert(mode)
            # A brand-new image holds only pixels: no EXIF, XMP, ICC, text chunks or comments.
            fresh = Image.frombytes(mode, image.size, image.tobytes())
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise MediaRefused(
            _("This picture is damaged or incomplete. Please try another file.")
        ) from None
    out = io.BytesIO()
    if keep_alpha:
        fresh.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        fresh.save(out, format="WEBP", quality=82, method=4)
        extension = "webp"
    return CleanImage(out.getvalue(), extension, fresh.width, fresh.height)
