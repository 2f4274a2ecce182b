"""Share images (Open Graph cards) drawn on our server with Pillow: a title, a line under it
and the site's name, in the DejaVu fonts the package ships (``letters/fonts``, read by path),
which cover Latin and Cyrillic alike. Nothing is fetched from anywhere."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
FONTS_DIR = Path(__file__).resolve().parents[1] / "letters" / "fonts"
BOLD = FONTS_DIR / "DejaVuSans-Bold.ttf"
REGULAR = FONTS_DIR / "DejaVuSans.ttf"
BACKGROUND = (140, 20, 30)  # the campaign's red
FOREGROUND = (255, 255, 255)
MUTED = (245, 214, 214)
MARGIN = 72


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Lines of ``text`` no wider than ``width``; a word longer than a line stays whole."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, width: int, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size at which ``text`` fits in ``max_lines`` lines; at the smallest,
    the last line ends with an ellipsis."""
    for size in (72, 64, 56, 48, 42):
        font = _font(BOLD, size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return font, lines


def draw_card(title: str, subtitle: str = "", footer: str = "") -> bytes:
    """A 1200×630 PNG with ``title`` large, ``subtitle`` under it and ``footer`` at the bottom."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    font, lines = _fitted(draw, " ".join(title.split()) or "·", width, 4)
    y = MARGIN
    line_height = int(font.size * 1.2)
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=FOREGROUND)
        y += line_height
    if subtitle:
        small = _font(REGULAR, 34)
        for line in _wrap(draw, " ".join(subtitle.split()), small, width)[:2]:
            y += 14
            draw.text((MARGIN, y), line, font=small, fill=MUTED)
            y += 34
    if footer:
        foot = _font(BOLD, 30)
        draw.text((MARGIN, SIZE[1] - MARGIN - 30), footer, font=foot, fill=FOREGROUND)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
