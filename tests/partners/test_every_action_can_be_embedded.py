"""An event registration, an endorsement and a video message embedded on a partner's site, as
the letter is: framed by the partner's origins only, posted from their own page only, and the
action records its embed and the partner's consent."""

import pytest
from django.urls import reverse

from picketline.events.models import Registration
from picketline.partners.models import Partner
from picketline.submissions.models import Endorsement, VideoMessage
from picketline.supporters.models import Consent
from tests.events.helpers import online_meeting
from tests.events.test_registration import FORM as REGISTRATION
from tests.submissions.test_endorsements_and_reports import endorsement_data

pytestmark = pytest.mark.django_db

HERE = "http://testserver"


@pytest.fixture
def etuc():
    return Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")


def embeds(etuc):
    online_meeting()
    return {
        "registration": (
            reverse("events_embed:detail", kwargs={"partner": "etuc", "slug": "meeting"}),
            REGISTRATION,
            Registration,
        ),
        "endorsement": (
            reverse("submissions_embed:endorse_form", kwargs={"partner": "etuc"}),
            endorsement_data(),
            Endorsement,
        ),
        "video": (
            reverse("submissions_embed:video_form", kwargs={"partner": "etuc"}),
            {
                "name": "Ana Example",
                "email": "ana@example.org",
                "language": "en",
                "link": "https://video.example/watch/1",
                "display_name": "anonymous",
                "text": "Free them.",
                "face_voice": "on",
            },
            VideoMessage,
        ),
    }


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
def test_it_is_framed_by_the_partners_origins_only(client, etuc, kind):
    url, _data, _model = embeds(etuc)[kind]
    page = client.get(url)
    assert page.status_code == 200
    assert "frame-ancestors https://www.etuc.org" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page
    html = page.content.decode()
    assert "ETUC supports" in html and 'target="_self"' in html
    assert "csrfmiddlewaretoken" not in html and not page.cookies


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
def test_it_records_the_embed_and_stays_in_the_frame(client, etuc, kind, media_dirs):
    url, data, model = embeds(etuc)[kind]
    answer = client.post(url, {**data, "consent_partner": "on"}, HTTP_ORIGIN=HERE)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == reverse("embed:check_mail", args=["etuc"])
    action = model.objects.get()
    assert (action.partner, action.source) == (etuc, "embed")
    assert Consent.objects.get(purpose=Consent.Purpose.PARTNER_UPDATES).partner == etuc


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
def test_a_post_from_elsewhere_is_refused(client, etuc, kind):
    url, data, model = embeds(etuc)[kind]
    answer = client.post(url, data, HTTP_ORIGIN="https://www.etuc.org")
    assert answer.status_code == 403
    assert not model.objects.exists()


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
@pytest.mark.parametrize("acknowledged", [None, "", "false"])
def test_a_dangerous_country_sent_through_an_embed_without_reading_the_warning_stores_nothing(
    client, etuc, kind, media_dirs, acknowledged
):
    from picketline.dashboard.models import DailyCount, PendingCount
    from picketline.mail.models import OutgoingMessage
    from picketline.supporters.models import DangerousCountry, Supporter

    DangerousCountry.objects.create(code="BY")
    url, data, model = embeds(etuc)[kind]
    data = {**data, "country": "BY", "consent_partner": "on"}
    if kind == "endorsement":
        data["org_country"] = "DE"  # the organisation elsewhere; the sender in Belarus
    if acknowledged is not None:
        data["safety_acknowledged"] = acknowledged
    answer = client.post(url, data, HTTP_ORIGIN=HERE)
    assert answer.status_code == 400  # the form again, with the warning
    assert "Your safety first" in answer.content.decode()
    assert "frame-ancestors https://www.etuc.org" in answer["Content-Security-Policy"]
    assert not model.objects.exists()
    assert not Supporter.objects.exists()
    assert not Consent.objects.exists()
    assert not OutgoingMessage.objects.exists()
    assert not DailyCount.objects.exists() and not PendingCount.objects.exists()


def test_a_letter_from_a_dangerous_country_through_an_embed_stores_nothing(client, etuc):
    from picketline.dashboard.models import DailyCount, PendingCount
    from picketline.letters.models import Letter
    from picketline.supporters.models import DangerousCountry, Supporter
    from tests.letters.helpers import embassy_action, form_data, target

    DangerousCountry.objects.create(code="BY")
    target("Embassy of Belarus in Germany", "DE")
    url = reverse("letters_embed:action", kwargs={"partner": "etuc", "slug": embassy_action().slug})
    data = form_data(country="BY", consent_partner="on", safety_acknowledged="on")
    answer = client.post(url, data, HTTP_ORIGIN=HERE)
    assert answer.status_code in (200, 400)  # the warning page, inside the frame
    assert "frame-ancestors https://www.etuc.org" in answer["Content-Security-Policy"]
    assert not Letter.objects.exists() and not Supporter.objects.exists()
    assert not Consent.objects.exists() and not DailyCount.objects.exists()
    assert not PendingCount.objects.exists()


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
def test_the_embed_sets_no_cookie_and_carries_no_token(client, etuc, kind):
    # A cookie set inside a partner's frame is a third-party cookie: none at all, fresh or
    # from the page cache.
    url, _data, _model = embeds(etuc)[kind]
    for _ in range(2):
        page = client.get(url)
        assert page.status_code == 200
        assert not page.cookies
        assert "csrfmiddlewaretoken" not in page.content.decode()
        assert page["Referrer-Policy"] == "same-origin"
        assert "X-Frame-Options" not in page
