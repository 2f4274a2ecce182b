"""Checking uploads by their content, and cleaning what is published."""

import io

import pytest
from PIL import Image

from picketline.submissions import media

from .helpers import jpeg_with_gps, make_video, png_bomb, png_bytes


def test_it_accepts_quicktime_mp4_and_webm(gps_video, webm_video, tmp_path):
    mp4 = make_video(tmp_path / "plain.mp4", container="mp4", metadata=False)
    assert media.inspect_video(gps_video).container == "mp4"
    assert media.inspect_video(mp4).width == 320
    info = media.inspect_video(webm_video)
    assert info.container == "webm" and info.has_audio


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    with pytest.raises(media.MediaRefused, match="empty"):
        media.inspect_video(path)


def test_it_refuses_text_named_mp4(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("these are my notes, not a video\n" * 20)
    with pytest.raises(media.MediaRefused, match="not a video"):
        media.inspect_video(path)


@pytest.mark.parametrize("container", ["mov", "webm"])
def test_it_refuses_a_truncated_video(tmp_path, container):
    whole = make_video(tmp_path / f"whole.{container}", container=container, seconds=3)
    cut = tmp_path / f"cut.{container}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    with pytest.raises(media.MediaRefused, match="damaged or incomplete"):
        media.inspect_video(cut)


def test_it_refuses_a_video_with_something_appended(gps_video, tmp_path):
    polyglot = tmp_path / "polyglot.mp4"
    polyglot.write_bytes(gps_video.read_bytes() + b"PK\x03\x04" + b"payload" * 50)
    with pytest.raises(media.MediaRefused, match="something besides a video"):
        media.inspect_video(polyglot)


def test_it_refuses_html_in_front_of_a_video(gps_video, tmp_path):
    polyglot = tmp_path / "page.mp4"
    polyglot.write_bytes(b"<html><script>alert(1)</script></html>" + gps_video.read_bytes())
    with pytest.raises(media.MediaRefused):
        media.inspect_video(polyglot)


def test_it_refuses_a_still_image_dressed_as_video(tmp_path):
    path = tmp_path / "photo.mp4"
    path.write_bytes(png_bytes())
    with pytest.raises(media.MediaRefused):
        media.inspect_video(path)


def test_transcoding_leaves_no_metadata(gps_video, tmp_path):
    before = media.metadata_tags(gps_video)
    assert "Sneakyphone" in str(before) and "+52.5163" in str(before)
    target, poster = tmp_path / "out.mp4", tmp_path / "poster.jpg"
    info = media.transcode_video(gps_video, target, poster)
    after = media.metadata_tags(target)
    text = str(after).lower()
    for trace in (
        "52.5163",
        "sneakyphone",
        "creation_time",
        "location",
        "embassy",
        "make",
        "model",
    ):
        assert trace not in text
    assert b"Sneakyphone" not in target.read_bytes()
    assert info.has_audio and info.duration > 1.5
    with Image.open(poster) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_it_reencodes_an_image_without_metadata():
    cleaned = media.clean_image(jpeg_with_gps(), max_bytes=10**6, max_side=800, keep_alpha=False)
    assert b"Sneakycam" not in cleaned.content and b"secret comment" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info


def test_a_logo_keeps_transparency_as_png():
    cleaned = media.clean_image(png_bytes(), max_bytes=10**6, max_side=600, keep_alpha=True)
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"


def test_it_refuses_an_image_bomb_before_decoding_it():
    with pytest.raises(media.MediaRefused, match="too many pixels"):
        media.clean_image(png_bomb(), max_bytes=10**6, max_side=600, keep_alpha=True)


def test_it_refuses_an_image_with_something_appended():
    for payload in (png_bytes() + b"<script>alert(1)</script>", jpeg_with_gps() + b"PK\x03\x04zip"):
        with pytest.raises(media.MediaRefused, match="besides one picture"):
            media.clean_image(payload, max_bytes=10**6, max_side=600, keep_alpha=False)


def test_it_refuses_an_oversized_or_fake_image():
    with pytest.raises(media.MediaRefused, match="larger than"):
        media.clean_image(png_bytes() * 10, max_bytes=100, max_side=600, keep_alpha=True)
    with pytest.raises(media.MediaRefused, match="not a picture"):
        media.clean_image(b"GIF89a" + b"\x00" * 100, max_bytes=10**6, max_side=600, keep_alpha=True)
