"""Letters on paper: WeasyPrint, with the DejaVu fonts shipped in ``letters/fonts`` so that
Cyrillic prints the same on every machine and nothing is fetched from anywhere else."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from picketline.letters.models import ComposedLetter, Letter, LetterAction, Target

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
LINK_SALT = "picketline.letters.pdf-link"
LINK_DAYS = 30


def _render(pages: list[ComposedLetter], language: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(language):
        html = render_to_string(
            "letters/pdf/letters.html", {"pages": pages, "fonts": FONTS_DIR.as_uri()}
        )
    fonts = FontConfiguration()
    # base_url is the fonts folder: the stylesheet's url() points at the shipped files only.
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf(font_config=fonts)


def letter_pdf(letter: Letter, targets: list[Target] | None = None) -> bytes:
    """The letter, one page per recipient, each with the recipient's postal address."""
    if targets is None:
        delivered = [d.target for d in letter.deliveries.select_related("target")]
        targets = delivered or letter.targets()
    return _render([letter.compose(target) for target in targets], letter.language)


def target_bundle_pdf(action: LetterAction, target: Target, language: str = "en") -> bytes:
    """Every confirmed letter of ``action`` to ``target``, for handing over in person."""
    letters = (
        Letter.objects.confirmed()
        .filter(action=action, deliveries__target=target, supporter__isnull=False)
        .select_related("supporter", "action")
        .prefetch_related("action__texts")
        .order_by("confirmed_at")
    )
    return _render([letter.compose(target) for letter in letters], language)


def letter_pdf_token(letter: Letter) -> str:
    return signing.dumps({"l": letter.pk, "c": int(letter.created_at.timestamp())}, salt=LINK_SALT)


def letter_from_token(token: str) -> Letter | None:
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_DAYS * 86400)
        letter = Letter.objects.select_related("supporter", "action").get(pk=int(payload["l"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Letter.DoesNotExist):
        return None
    if int(letter.created_at.timestamp()) != payload.get("c") or letter.supporter is None:
        return None
    return letter


def letter_pdf_url(letter: Letter) -> str:
    with translation.override(letter.language):
        path = reverse("letters:letter_pdf", kwargs={"token": letter_pdf_token(letter)})
    return settings.SITE_URL + path
