"""Demo submissions: a few approved videos, endorsements and reports, with media made here.

The videos are ffmpeg test pictures with a tone, pushed through the same pipeline as real
uploads (original in the private storage, re-encoded copy and poster in the public one); the logos are
drawn with Pillow. Nothing is shipped in git, everything is generated when the demo loads. The
organisations are made up and say so: a demo must not put words in real unions' mouths.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from PIL import Image, ImageDraw

from picketline.lib.demo_dates import DemoDates
from picketline.submissions import media, storage
from picketline.submissions.models import (
    ActionReport,
    Decision,
    Endorsement,
    ReportPhoto,
    Status,
    Submission,
    VideoMessage,
    public_files,
    public_name,
)
from picketline.supporters.models import Consent, Supporter

BERLIN = ZoneInfo("Europe/Berlin")

VIDEOS = [
    {
        "token": "demo-video-1",
        "source": "testsrc2",
        "tone": 440,
        "language": "en",
        "email": "demo.video.one@example.org",
        "name": "Maggie Example",
        "public_name": "Maggie",
        "public_country": "GB",
        "display": VideoMessage.DisplayName.FIRST_AND_COUNTRY,
        "text": "From our branch meeting in Leeds: organising a union is a right, not a crime. "
        "We will keep writing until every one of you is home.",
        "hashtags": "#TradeUnionRightsAreHumanRights #FreeBelarusUnionists",
        "approved": datetime(2024, 3, 25, 18, 0, tzinfo=BERLIN),
    },
    {
        "token": "demo-video-2",
        "source": "smptebars",
        "tone": 523,
        "language": "de",
        "email": "demo.video.two@example.org",
        "name": "Jonas Beispiel",
        "public_name": "Jonas Beispiel",
        "display": VideoMessage.DisplayName.FULL,
        "text": "Grüße aus der Werkstatt in Bremen. Gewerkschaftsarbeit ist kein Extremismus – "
        "wir vergessen euch nicht.",
        "hashtags": "#FreeBelarusUnionists",
        "approved": datetime(2024, 4, 2, 12, 30, tzinfo=BERLIN),
    },
    {
        "token": "demo-video-3",
        "source": "testsrc2",
        "tone": 330,
        "language": "be",
        "email": "demo.video.three@example.org",
        "name": "",
        "public_name": "",
        "display": VideoMessage.DisplayName.ANONYMOUS,
        "text": "Мы памятаем пра кожнага, хто сядзіць за прафсаюзную працу. Трымайцеся!",
        "hashtags": "#FreeBelarusUnionists",
        "approved": datetime(2024, 4, 12, 9, 15, tzinfo=BERLIN),
    },
]

ENDORSEMENTS = [
    {
        "token": "demo-endorsement-1",
        "organisation": "Example Metalworkers' Union (demo)",
        "country": "DE",
        "kind": Endorsement.Kind.UNION,
        "members": 48000,
        "colour": (178, 34, 34),
        "letters": "EM",
        "language": "de",
        "statement": "Wer Kolleginnen und Kollegen einsperrt, weil sie sich organisieren, greift "
        "uns alle an. Wir fordern ihre sofortige Freilassung.",
    },
    {
        "token": "demo-endorsement-2",
        "organisation": "Sample Dockers' Federation (demo)",
        "country": "NO",
        "kind": Endorsement.Kind.FEDERATION,
        "members": 21000,
        "colour": (0, 82, 147),
        "letters": "SD",
        "language": "en",
        "statement": "Dockers know what solidarity means. We stand with the jailed trade "
        "unionists of Belarus and with their families.",
    },
    {
        "token": "demo-endorsement-3",
        "organisation": "Illustrative Labour Rights Network (demo)",
        "country": "DE",
        "kind": Endorsement.Kind.NGO,
        "members": None,
        "colour": (46, 125, 50),
        "letters": "IL",
        "language": "en",
        "statement": "Freedom of association is a core labour standard. Its defenders belong at "
        "their workplaces, not in prison.",
    },
    {
        "token": "demo-endorsement-4",
        "organisation": "Профсоюз-пример работников образования (демо)",
        "country": "LT",
        "kind": Endorsement.Kind.UNION,
        "members": 3500,
        "colour": (106, 27, 154),
        "letters": "ПП",
        "language": "ru",
        "statement": "Мы требуем освободить всех, кого преследуют за профсоюзную деятельность.",
    },
]

REPORTS = [
    {
        "token": "demo-report-1",
        "kind": ActionReport.Kind.DUE_DILIGENCE,
        "country": "NL",
        "day": date(2024, 4, 9),
        "language": "en",
        "title": "We asked an importer about its Belarusian supplier",
        "text": "Three of us met the sustainability team of a trading company that buys from "
        "Belarus. We brought the list of jailed union members and asked how their supplier "
        "treats workers who organise.",
        "company_name": "a Belarusian state-owned producer",
        "business_partner": "Example Trading B.V. (demo)",
        "outcome": "They agreed to raise freedom of association with the supplier and to answer "
        "us in writing within a month.",
        "group": "Demo Solidarity Group Utrecht",
        "photo": (40, 90, 160),
    },
    {
        "token": "demo-report-2",
        "kind": ActionReport.Kind.ILO_MEETING,
        "country": "DE",
        "day": date(2024, 4, 4),
        "language": "de",
        "title": "Gespräch mit der Arbeitnehmervertretung im ILO-Verwaltungsrat",
        "text": "Wir haben um Unterstützung für die Umsetzung der ILO-Resolution von 2023 "
        "gebeten und die Namen der inhaftierten Gewerkschafter übergeben.",
        "company_name": "",
        "business_partner": "",
        "outcome": "",
        "group": "",
        "photo": None,
    },
    {
        "token": "demo-report-3",
        "kind": ActionReport.Kind.PICKET,
        "country": "LT",
        "day": date(2024, 4, 19),
        "language": "be",
        "title": "Пікет каля пасольства ў Дзень дзеяння",
        "text": "Каля сарака чалавек стаялі з плакатамі і імёнамі палітвязняў-прафсаюзнікаў. "
        "Мы зачыталі іх імёны ўслых.",
        "company_name": "",
        "business_partner": "",
        "outcome": "",
        "group": "",
        "photo": (150, 40, 40),
    },
    {
        "token": "demo-report-4",
        "kind": ActionReport.Kind.LETTER_DELIVERED,
        "country": "FR",
        "day": date(2024, 3, 28),
        "language": "ru",
        "title": "Письмо передано в посольство",
        "text": "Мы лично передали письмо с требованием освобождения заключённых профсоюзных "
        "активистов. Его приняли без комментариев.",
        "company_name": "",
        "business_partner": "",
        "outcome": "",
        "group": "",
        "photo": None,
    },
]


def _supporter(email: str, name: str, language: str) -> Supporter:
    supporter, _created = Supporter.get_or_create_for_email(email, name=name, language=language)
    return supporter


def _approve(item: Submission, when: datetime) -> None:
    item.status = Status.APPROVED
    item.confirmed_at = item.confirmed_at or when
    item.decided_at = when
    item.save()
    if not Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    ).exists():
        decision = Decision.log(item, Decision.Action.APPROVE)
        Decision.objects.filter(pk=decision.pk).update(decided_at=when, moderator_name="demo")


def _file_exists(relative: str) -> bool:
    return bool(relative) and public_files().exists(public_name(relative))


def _make_original(source: str, tone: int) -> str:
    """A few seconds of an ffmpeg test picture and a tone, as a phone might hand it over."""
    with storage.scratch_folder() as folder:
        path = Path(folder) / "original.mov"
        _record(source, tone, path)
        return storage.keep_original(str(path), "mov")


def _record(source: str, tone: int, path: Path) -> None:
    subprocess.run(
        [
            media.FFMPEG, "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"{source}=size=640x360:rate=25:duration=4",
            "-f", "lavfi", "-i", f"sine=frequency={tone}:duration=4",
            "-shortest", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-metadata", "make=DemoPhone", "-metadata", "location=+53.8+001.5/",
            str(path),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip


def _captions(text: str) -> str:
    """The demo videos say their message (in a tone): the captions are the message."""
    return f"WEBVTT\n\n00:00.000 --> 00:04.000\n{text}\n"


def _load_videos(dates: DemoDates) -> None:
    for spec in VIDEOS:
        supporter = _supporter(spec["email"], spec["name"], spec["language"])
        video, _created = VideoMessage.objects.update_or_create(
            public_token=spec["token"],
            defaults={
                "supporter": supporter,
                "language": spec["language"],
                "text": spec["text"],
                "hashtags": spec["hashtags"],
                "display_name": spec["display"],
                "public_name": spec["public_name"],
                "captions": _captions(spec["text"]),
                "public_country": spec.get("public_country", ""),
            },
        )
        if not Consent.objects.for_action(video).filter(purpose=Consent.Purpose.PUBLISH_FACE_VOICE):
            Consent.record(
                supporter,
                Consent.Purpose.PUBLISH_FACE_VOICE,
                "Publish my video, with my face and voice (demo).",
                spec["language"],
                "/demo/",
                action=video,
                confirmed=True,
            )
        when = dates.moment(spec["approved"])
        _approve(video, when)
        if not (_file_exists(video.video) and _file_exists(video.poster)):
            video.original = _make_original(spec["source"], spec["tone"])
            video.video = video.poster = ""
            video.processing = VideoMessage.Processing.QUEUED
            video.processing_attempts = 0
            video.save()
            video.process(tell_the_sender=False)  # seeded as published long ago
            # A generated original holds nothing worth keeping.
            VideoMessage.objects.get(pk=video.pk).delete_original()


def _logo(colour: tuple[int, int, int], letters: str) -> bytes:
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(*colour, 255))
    draw.ellipse((40, 40, 200, 200), outline=(255, 255, 255, 255), width=10)
    draw.rectangle((112, 60, 128, 180), fill=(255, 255, 255, 255))
    draw.rectangle((70, 112, 170, 128), fill=(255, 255, 255, 255))
    draw.text((100, 190), letters, fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _load_endorsements(dates: DemoDates) -> None:
    for number, spec in enumerate(ENDORSEMENTS):
        supporter = _supporter(
            f"demo.endorsement.{number + 1}@example.org", "Demo Contact", spec["language"]
        )
        item, _created = Endorsement.objects.update_or_create(
            public_token=spec["token"],
            defaults={
                "supporter": supporter,
                "language": spec["language"],
                "organisation": spec["organisation"],
                "country": spec["country"],
                "kind": spec["kind"],
                "members": spec["members"],
                "statement": spec["statement"],
            },
        )
        if not _file_exists(item.logo):
            clean = media.clean_image(
                _logo(spec["colour"], spec["letters"]),
                max_bytes=10**6,
                max_side=600,
                keep_alpha=True,
            )
            item.logo = storage.save_public("logos", clean.content, clean.extension)
            item.save()
        _approve(item, dates.moment(datetime(2024, 3, 22 + number, 10, 0, tzinfo=BERLIN)))


def _photo(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (800, 500), colour)
    draw = ImageDraw.Draw(image)
    for x in range(60, 760, 140):
        draw.rectangle((x, 120, x + 90, 300), fill=(240, 240, 230))
        draw.line((x + 45, 300, x + 45, 440), fill=(60, 40, 20), width=8)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _in_the_past(day: date) -> date:
    """Reports tell of what happened: none may be dated after today."""
    return min(day, timezone.localdate() - timedelta(days=1))


def _load_reports(dates: DemoDates) -> None:
    from picketline.registers.models import Company

    for number, spec in enumerate(REPORTS):
        supporter = _supporter(
            f"demo.report.{number + 1}@example.org", "Demo Reporter", spec["language"]
        )
        company = None
        if spec["kind"] == ActionReport.Kind.DUE_DILIGENCE:
            company = Company.objects.published().order_by("name").first()
        company_name = "" if company else spec["company_name"]
        item, _created = ActionReport.objects.update_or_create(
            public_token=spec["token"],
            defaults={
                "supporter": supporter,
                "language": spec["language"],
                "kind": spec["kind"],
                "country": spec["country"],
                "happened_on": _in_the_past(dates.day(spec["day"])),
                "title": spec["title"],
                "text": spec["text"],
                "company": company,
                "company_name": company_name,
                "business_partner": spec["business_partner"],
                "outcome": spec["outcome"],
                "group_name": spec["group"],
            },
        )
        if spec["photo"] and not any(_file_exists(p.file) for p in item.photos.all()):
            item.photos.all().delete()
            clean = media.clean_image(
                _photo(spec["photo"]), max_bytes=10**7, max_side=1600, keep_alpha=False
            )
            ReportPhoto.objects.create(
                report=item,
                file=storage.save_public("photos", clean.content, clean.extension),
                width=clean.width,
                height=clean.height,
            )
        day = item.happened_on
        _approve(item, datetime(day.year, day.month, day.day, 20, 0, tzinfo=BERLIN))


def load(dates: DemoDates) -> None:
    from picketline.submissions.admin import moderator_group

    moderator_group()
    _load_videos(dates)
    _load_endorsements(dates)
    _load_reports(dates)
