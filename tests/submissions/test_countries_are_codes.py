"""Countries are ISO codes wherever a supporter gives one, named in the reader's language, and
counted as one country whatever language they were given in."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from picketline.submissions.models import ActionReport, Endorsement, Status, VideoMessage
from picketline.submissions.views import endorsement_groups, report_counts
from picketline.supporters.models import Supporter
from picketline.web.countries import code_for
from tests.submissions.helpers import make_endorsement, make_report, make_video_message

pytestmark = pytest.mark.django_db


def public(item):
    type(item).objects.filter(pk=item.pk).update(
        status=Status.APPROVED, confirmed_at=timezone.now()
    )
    return item


def page(client, name: str, language: str) -> str:
    with translation.override(language):
        url = reverse(name)
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Германия", "DE"),
        ("Германія", "DE"),
        ("  lithuania ", "LT"),
        ("Літва", "LT"),
        ("Литва", "LT"),
        ("Atlantis", ""),
        ("", ""),
    ],
)
def test_a_country_written_in_any_of_the_sites_languages_has_one_code(text, code):
    assert code_for(text) == code


def test_the_forms_offer_countries_by_name_and_store_the_code(client):
    html = page(client, "submissions:endorse_form", "de")
    assert '<option value="DE">Deutschland</option>' in html
    assert '<option value="LT">Litauen</option>' in html
    html = page(client, "submissions:report_form", "be")
    assert '<option value="LT">Літва</option>' in html


def test_endorsements_are_grouped_by_code_and_named_in_the_readers_language(client):
    public(make_endorsement(organisation="IG Example", country="DE"))
    public(make_endorsement(organisation="ver.example", country="DE"))
    public(make_endorsement(organisation="LPS Example", country="LT"))
    groups = endorsement_groups()
    assert groups["countries"] == 2
    for language, germany, lithuania in [
        ("de", "Deutschland", "Litauen"),
        ("ru", "Германия", "Литва"),
        ("be", "Германія", "Літва"),
    ]:
        html = page(client, "submissions:endorsements", language)
        assert germany in html and lithuania in html
        assert "Germany" not in html and "Lithuania" not in html


def test_reports_are_counted_by_country_without_splitting_languages(client):
    for _ in range(2):
        public(make_report(country="LT"))
    public(make_report(country="DE"))
    with translation.override("be"):
        counts = report_counts()["by_country"]
    assert counts == [
        {"code": "LT", "country": "Літва", "n": 2},
        {"code": "DE", "country": "Германія", "n": 1},
    ]


def test_a_videos_country_is_shown_in_the_readers_language():
    video = make_video_message(public_name="Ana", public_country="DE")
    with translation.override("ru"):
        assert video.shown_name() == "Ana, Германия"
    with translation.override("de"):
        assert video.shown_name() == "Ana, Deutschland"


def test_the_data_migrations_turn_free_text_into_codes():
    german = make_endorsement(country="Deutschland")
    english = make_endorsement(organisation="Other", country="Germany")
    unknown = make_endorsement(organisation="Third", country="Atlantis")
    report = make_report(country="Літва")
    video = make_video_message(
        display_name=VideoMessage.DisplayName.FIRST_AND_COUNTRY,
        public_name="Ana, Deutschland",
        public_country="",
    )
    person, _ = Supporter.get_or_create_for_email("p@example.net", country="Lithuania")
    importlib.import_module(
        "picketline.submissions.migrations.0005_countries_as_codes"
    ).countries_to_codes(apps, None)
    importlib.import_module(
        "picketline.supporters.migrations.0004_countries_as_codes"
    ).countries_to_codes(apps, None)
    assert [Endorsement.objects.get(pk=x.pk).country for x in (german, english, unknown)] == [
        "DE",
        "DE",
        "Atlantis",  # names no country: kept as written, shown as written
    ]
    assert ActionReport.objects.get(pk=report.pk).country == "LT"
    video.refresh_from_db()
    assert (video.public_name, video.public_country) == ("Ana", "DE")
    person.refresh_from_db()
    assert person.country == "LT"
