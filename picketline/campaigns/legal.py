"""How a legal page's text becomes HTML: paragraphs, headings, lists, and the site's own
figures in place of their placeholders. Everything the organisers wrote is escaped."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def placeholders() -> dict[str, int]:
    """The figures a legal text may name, as the site keeps them today."""
    return {
        "unconfirmed_days": settings.SUPPORTERS_UNCONFIRMED_DAYS,
        "retention_months": settings.SUPPORTERS_RETENTION_MONTHS,
        "sent_mail_days": settings.SENT_MAIL_KEEP_DAYS,
        "originals_days": settings.SUBMISSIONS_KEEP_ORIGINALS_DAYS,
        "backup_days": settings.BACKUP_KEEP_DAYS,
    }


def fill(text: str) -> str:
    for name, value in placeholders().items():
        text = text.replace("{" + name + "}", str(value))
    return text


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "list" or "paragraph"
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    found = []
    for chunk in fill(text).replace("\r\n", "\n").split("\n\n"):
        lines = tuple(line.strip() for line in chunk.strip().split("\n") if line.strip())
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("## "):
            found.append(Block("heading", (lines[0][3:].strip(),)))
        elif all(line.startswith("- ") for line in lines):
            found.append(Block("list", tuple(line[2:].strip() for line in lines)))
        else:
            found.append(Block("paragraph", lines))
    return found


def render(text: str) -> SafeString:
    parts = []
    for block in blocks(text):
        if block.kind == "heading":
            parts.append(format_html("<h2>{}</h2>", block.lines[0]))
        elif block.kind == "list":
            items = format_html_join("", "<li>{}</li>", ((line,) for line in block.lines))
            parts.append(format_html("<ul>{}</ul>", items))
        else:
            lines = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in block.lines))
            parts.append(format_html("<p>{}</p>", lines))
    return mark_safe("\n".join(parts))  # every part was escaped by format_html
