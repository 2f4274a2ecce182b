"""Dates in Russian and Belarusian sentences are written as those languages write them ("28 мая
2024 г.", "ліпень 2024"), never as ISO "2024-05-28" or "2024-07"; a date known to the month is
shown as a month. The ``<time datetime>`` beside it keeps the machine-readable form."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from picketline.registers.models import DatePrecision, Procedure, Source
from tests.campaigns.helpers import make_campaign

from .helpers import make_event, make_person

pytestmark = pytest.mark.django_db


def visible_text(response) -> str:
    body = response.content.decode().split("<main", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize(("language", "day"), [("ru", "28 мая 2024 г."), ("be", "28 мая 2024")])
def test_the_home_page_dates_the_newest_report_in_the_reader_s_language(client, language, day):
    make_campaign()
    make_person(ref="fresh", status_reported_on=date(2024, 5, 28))
    page = visible_text(client.get(f"/{language}/"))
    assert day in page
    assert "2024-05-28" not in page


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [("ru", "28 мая 2024 г.", "июль 2024 г."), ("be", "28 мая 2024", "ліпень 2024")],
)
def test_the_register_dates_each_status_to_the_day_or_the_month(client, language, day, month):
    make_person(ref="a", name="Hanna Ablab", status_reported_on=date(2024, 5, 28))
    make_person(
        ref="b",
        name="Ihar Komlik",
        status_reported_on=date(2024, 7, 1),
        status_precision=DatePrecision.MONTH,
    )
    page = visible_text(client.get(f"/{language}/register/"))
    assert day in page and month in page
    assert "2024-05-28" not in page and "2024-07" not in page


@pytest.mark.parametrize(
    ("language", "detained", "published"),
    [
        ("ru", "19 апреля 2022 г.", "20 апреля 2022 г."),
        ("be", "19 красавіка 2022", "20 красавіка 2022"),
    ],
)
def test_the_person_page_dates_the_case_and_its_sources(client, language, detained, published):
    person = make_person(detained_on=date(2022, 4, 19))
    make_event(person, happened_on=date(2022, 4, 19))
    response = client.get(f"/{language}{person.get_absolute_url()[3:]}")
    page = visible_text(response)
    assert f"· {detained}" in page  # the case event
    assert published in page  # its source
    assert "2022-04-19" not in page and "2022-04-20" not in page
    markup = response.content.decode()
    assert '<time datetime="2022-04-19">' in markup and '<time datetime="2022-04-20">' in markup


@pytest.mark.parametrize(
    ("language", "decided"), [("ru", "12 июня 2023 г."), ("be", "12 чэрвеня 2023")]
)
def test_the_register_dates_procedures_in_the_reader_s_language(client, language, decided):
    procedure = Procedure.objects.create(
        key="ilo-2023", title="ILO resolution", decided_on=date(2023, 6, 12)
    )
    procedure.sources.add(Source.for_url("https://news.example/2023/06/12/ilo"))
    response = client.get(f"/{language}/register/")
    page = visible_text(response)
    assert decided in page and "2023-06-12" not in page
    assert '<time datetime="2023-06-12">' in response.content.decode()
