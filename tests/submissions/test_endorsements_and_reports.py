"""Endorsements and action reports: forms, images, public lists and counts."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from picketline.registers.models import Company
from picketline.submissions.models import ActionReport, Decision, Endorsement

from .helpers import (
    files_under,
    jpeg_with_gps,
    make_endorsement,
    make_moderator,
    make_report,
    png_bomb,
    png_bytes,
)

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Private Contactperson", "email": "contact@union.example", "language": "en"}


def endorsement_data(**fields):
    data = {
        **CONTACT,
        "organisation": "Example Metalworkers",
        "org_country": "Germany",
        "kind": "union",
        "members": "12000",
        "statement": "We stand with our jailed colleagues.",
        "contact_role": "International secretary",
    }
    data.update(fields)
    return data


def report_data(**fields):
    data = {
        "name": "Private Reporter",
        "email": "reporter@example.org",
        "language": "en",
        "kind": "due_diligence",
        "report_country": "Netherlands",
        "happened_on": "2024-04-18",
        "title": "Meeting with a fertiliser importer",
        "text": "We asked them about forced labour at their Belarusian supplier.",
        "company": "Example Potash",
        "business_partner": "Example Agro Import",
        "outcome": "They promised an audit.",
    }
    data.update(fields)
    return data


def publish(item):
    item.confirm()
    item.decide(make_moderator(), Decision.Action.APPROVE)


def test_an_endorsement_with_a_logo_is_stored_without_metadata(client, media_dirs):
    logo = SimpleUploadedFile("logo.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/en/submit/endorse/", {**endorsement_data(), "logo": logo})
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert endorsement.contact_role == "International secretary"
    stored = media_dirs[0] / "submissions" / endorsement.logo
    assert b"Sneakycam" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert image.format == "PNG" and not image.getexif()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (png_bomb(), "too many pixels"),
        (png_bytes() + b"<html><script>alert(1)</script>", "besides one picture"),
        (b"%PDF-1.4 not an image", "not a picture"),
    ],
    ids=["empty", "image-bomb", "polyglot", "pdf"],
)
def test_a_bad_logo_is_refused_and_nothing_kept(client, media_dirs, content, message):
    logo = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = client.post("/en/submit/endorse/", {**endorsement_data(), "logo": logo})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Endorsement.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_an_oversize_logo_is_refused_while_it_streams(client, settings, media_dirs):
    settings.SUBMISSIONS_IMAGE_MAX_BYTES = 1000
    logo = SimpleUploadedFile("logo.png", png_bytes((400, 400)) + b"\0" * 5000)
    response = client.post("/en/submit/endorse/", {**endorsement_data(), "logo": logo})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert files_under(*media_dirs) == []


def test_endorsements_are_listed_by_country_with_totals_and_no_contact(client):
    publish(make_endorsement(organisation="Metal Union", country="DE", members=1000))
    publish(make_endorsement(organisation="Care Union", country="DE", members=500))
    publish(make_endorsement(organisation="Dock NGO", country="NO", kind="ngo", members=None))
    make_endorsement(organisation="Not Yet Approved Union", country="ES")
    page = client.get("/en/submit/endorsements/").content.decode()
    assert "3 organisations" in page and "2 countries" in page and "1500 members in all" in page
    germany = page.index("Germany")
    assert germany < page.index("Metal Union") and germany < page.index("Care Union")
    assert page.index("Care Union") < page.index("Norway") < page.index("Dock NGO")
    assert "Not Yet Approved Union" not in page
    assert "Private Contactperson" not in page and "contact@union.example" not in page


def test_the_form_names_everything_an_endorsement_publishes(client):
    form = client.get("/en/submit/endorse/").content.decode()
    assert "we publish its name, country, kind, size, website, logo and statement" in form
    publish(make_endorsement(organisation="Metal Union", website="https://metal.example/"))
    page = client.get("/en/submit/endorsements/").content.decode()
    assert "https://metal.example/" in page


def test_a_report_links_the_company_register_and_strips_photo_metadata(client, media_dirs):
    company = Company.objects.create(ref="c1", slug="example-potash", name="Example Potash")
    photo = SimpleUploadedFile("picket.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        "/en/submit/report/", {**report_data(register_company=str(company.pk)), "photos": [photo]}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = ActionReport.objects.get()
    assert report.company == company and report.business_partner == "Example Agro Import"
    publish(report)
    page = client.get(f"/en/submit/reports/{report.pk}/").content.decode()
    assert f'<a href="{company.get_absolute_url()}">Example Potash</a>' in page
    [stored] = report.photos.all()
    content = (media_dirs[0] / "submissions" / stored.file).read_bytes()
    assert b"Sneakycam" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()


def test_a_company_typed_by_name_is_linked_when_the_register_knows_it(client):
    company = Company.objects.create(ref="c2", slug="example-potash", name="Example Potash")
    assert client.post("/en/submit/report/", report_data()).status_code == 302
    report = ActionReport.objects.get()
    assert report.company == company and report.company_name == "Example Potash"


def test_a_due_diligence_report_needs_a_company(client):
    response = client.post("/en/submit/report/", report_data(company=""))
    assert response.status_code == 400
    assert "Please name the company you met." in response.content.decode()


def test_a_report_from_the_future_is_refused(client):
    response = client.post("/en/submit/report/", report_data(happened_on="2099-01-01"))
    assert response.status_code == 400
    assert "future" in response.content.decode()


def test_too_many_photos_are_refused(client, media_dirs):
    photos = [SimpleUploadedFile(f"p{i}.png", png_bytes()) for i in range(5)]
    response = client.post("/en/submit/report/", {**report_data(), "photos": photos})
    assert response.status_code == 400
    assert ActionReport.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_the_wall_counts_reports_by_kind_and_country(client):
    publish(make_report(kind="picket", country="FR"))
    publish(make_report(kind="picket", country="FR", title="Second picket"))
    publish(make_report(kind="ilo_meeting", country="IT", title="Talk with the ILO office"))
    make_report(kind="letter", country="ES", title="Unapproved letter report")
    page = client.get("/en/submit/reports/").content.decode()
    assert "3 actions reported" in page
    assert "Picket</a>: 2" in page
    assert "Meeting with an ILO representative</a>: 1" in page
    assert "France: 2" in page and "Italy: 1" in page
    assert "Unapproved letter report" not in page and "Spain" not in page
    assert "Private Reporter" not in page and "reporter@example.org" not in page
    only = client.get("/en/submit/reports/?kind=ilo_meeting").content.decode()
    assert "Talk with the ILO office" in only and "Second picket" not in only


def test_a_report_page_and_its_photos_appear_only_once_public(client, media_dirs):
    report = make_report(happened_on=date(2024, 4, 18))
    from picketline.submissions.models import ReportPhoto
    from picketline.submissions.storage import save_public

    photo = ReportPhoto.objects.create(
        report=report, file=save_public("photos", png_bytes(), "png"), width=40, height=30
    )
    assert client.get(f"/en/submit/reports/{report.pk}/").status_code == 404
    assert client.get(photo.url()).status_code == 404
    publish(report)
    assert client.get(f"/en/submit/reports/{report.pk}/").status_code == 200
    assert client.get(photo.url()).status_code == 200


def test_the_campaign_home_shows_videos_and_counts(client):
    from tests.campaigns.helpers import make_campaign

    from .helpers import make_video_message

    make_campaign()
    publish(make_endorsement())
    publish(make_video_message(text="Greetings from the docks"))
    page = client.get("/en/").content.decode()
    assert "Solidarity from around the world" in page
    assert "Greetings from the docks" in page
    assert "1 organisation endorses the campaign" in page


def test_a_public_report_offers_share_links_including_mastodon_without_javascript(client):
    report = make_report(title="Shared picket")
    publish(report)
    page = client.get(f"/en/submit/reports/{report.pk}/").content.decode()
    assert "https://bsky.app/intent/compose?" in page and 'name="instance"' in page
    page = client.get(
        f"/en/submit/reports/{report.pk}/?instance=@me@social.example"
    ).content.decode()
    assert 'href="https://social.example/share?text=Shared%20picket%20http' in page
    bad = client.get(f"/en/submit/reports/{report.pk}/?instance=not a host").content.decode()
    assert "does not look like a server name" in bad
