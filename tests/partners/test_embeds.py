"""A letter embedded on a partner's site: framed only by the partner's origins, posted without a
cookie from its own page only, and the letter remembers the embed it came through."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from picketline.letters.models import Letter
from picketline.partners.models import Partner, origin_of
from picketline.supporters.models import Consent
from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db

HERE = "http://testserver"


@pytest.fixture
def ituc():
    return Partner.objects.create(
        name="ITUC",
        slug="ituc",
        origins="https://www.ituc-csi.org\nhttps://campaigns.ituc-csi.org:8443/",
    )


@pytest.fixture
def action():
    target("Embassy of Belarus in Germany", "DE")
    return embassy_action()


def embed_url(partner, action):
    return reverse("letters_embed:action", kwargs={"partner": partner.slug, "slug": action.slug})


def csp(response) -> dict[str, str]:
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        policy[name] = value
    return policy


def test_the_embed_may_be_framed_by_the_partners_origins_only(client, ituc, action):
    page = client.get(embed_url(ituc, action))
    assert page.status_code == 200
    assert csp(page)["frame-ancestors"] == (
        "https://www.ituc-csi.org https://campaigns.ituc-csi.org:8443"
    )
    assert "X-Frame-Options" not in page  # it would contradict frame-ancestors
    assert page["Referrer-Policy"] == "same-origin"  # so the browser names us in Origin
    html = page.content.decode()
    assert "ITUC supports" in html
    assert 'name="csrfmiddlewaretoken"' not in html
    assert not page.cookies  # no CSRF cookie, nothing in a third-party context


def test_the_same_letter_on_the_site_itself_refuses_every_frame(client, ituc, action):
    page = client.get(reverse("letters:action", kwargs={"slug": action.slug}))
    assert csp(page)["frame-ancestors"] == "'none'"
    assert page["X-Frame-Options"] == "DENY"


def test_a_partner_without_origins_or_inactive_is_framed_nowhere(
    client, ituc, action, django_capture_on_commit_callbacks
):
    client.get(embed_url(ituc, action))  # cached: an edit must reach it at once
    ituc.origins = ""
    with django_capture_on_commit_callbacks(execute=True):
        ituc.save()
    assert csp(client.get(embed_url(ituc, action)))["frame-ancestors"] == "'none'"
    ituc.active = False
    with django_capture_on_commit_callbacks(execute=True):
        ituc.save()
    assert client.get(embed_url(ituc, action)).status_code == 404


def test_an_unknown_partner_has_no_embed(client, action):
    url = reverse("letters_embed:action", kwargs={"partner": "nobody", "slug": action.slug})
    assert client.get(url).status_code == 404


def test_the_embeds_of_two_partners_are_cached_apart(client, ituc, action):
    etuc = Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")
    for _ in range(2):  # the second time from the page cache
        first = client.get(embed_url(ituc, action))
        second = client.get(embed_url(etuc, action))
        assert csp(first)["frame-ancestors"].startswith("https://www.ituc-csi.org")
        assert csp(second)["frame-ancestors"] == "https://www.etuc.org"
        assert "ETUC supports" in second.content.decode()


def test_a_letter_sent_from_the_embed_keeps_the_partner_and_stays_in_the_frame(
    client, ituc, action
):
    data = form_data(consent_partner="on")
    answer = client.post(embed_url(ituc, action), data, HTTP_ORIGIN=HERE)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("embed:check_mail", args=["ituc"])
    letter = Letter.objects.get()
    assert (letter.partner, letter.source) == (ituc, "embed")
    consent = Consent.objects.get(purpose=Consent.Purpose.PARTNER_UPDATES)
    assert consent.partner == ituc and "ITUC" in consent.wording.text
    check = client.get(answer["Location"])
    assert check.status_code == 200
    assert csp(check)["frame-ancestors"].startswith("https://www.ituc-csi.org")


def test_the_partners_box_is_never_ticked_for_the_supporter(client, ituc, action):
    client.post(embed_url(ituc, action), form_data(), HTTP_ORIGIN=HERE)
    assert Letter.objects.get().partner == ituc
    assert not Consent.objects.filter(purpose=Consent.Purpose.PARTNER_UPDATES).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "https://www.ituc-csi.org"},  # the partner's page cannot post it either
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": HERE},
        # Neither header (an old browser, an extension stripping them): refused, fail closed.
        {"HTTP_REFERER": HERE + "/en/embed/ituc/letters/release/"},  # a Referer alone
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame, a file on disk
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": HERE},  # a sibling subdomain
        {"HTTP_SEC_FETCH_SITE": "none", "HTTP_ORIGIN": HERE},  # typed in, a bookmark
        {"HTTP_ORIGIN": HERE + ".evil.example"},
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
    ],
)
def test_a_post_from_anywhere_but_the_embed_itself_is_refused(client, ituc, action, headers):
    answer = client.post(embed_url(ituc, action), form_data(), **headers)
    assert answer.status_code == 403
    assert not Letter.objects.exists()


def test_the_browsers_fetch_metadata_is_enough(client, ituc, action):
    answer = client.post(embed_url(ituc, action), form_data(), HTTP_SEC_FETCH_SITE="same-origin")
    assert answer.status_code == 302
    assert Letter.objects.get().source == "embed"


def test_a_cross_site_form_in_plain_text_is_refused_too(client, ituc, action):
    answer = client.post(
        embed_url(ituc, action),
        "name=Anna&email=anna@example.net",
        content_type="text/plain",
        HTTP_ORIGIN="https://evil.example",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert answer.status_code == 403
    assert not Letter.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(client, ituc, action, method):
    answer = getattr(client, method)(embed_url(ituc, action), HTTP_SEC_FETCH_SITE="same-origin")
    assert answer.status_code == 405


@pytest.mark.parametrize(
    "url_name", ["submissions:video_form", "submissions:endorse_form", "supporters:subscribe"]
)
def test_the_embeds_exemption_is_not_reached_from_the_sites_own_forms(ituc, url_name):
    # The upload forms check CSRF inside their views, skipping it only inside an embed: the
    # same form at its own address must still ask for the token, whatever the headers say.
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        reverse(url_name), {"via": "ituc"}, HTTP_ORIGIN=HERE, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert answer.status_code == 403


def test_the_site_itself_keeps_djangos_csrf_check(ituc, action):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    url = reverse("letters:action", kwargs={"slug": action.slug})
    assert strict.post(url, form_data(), HTTP_ORIGIN=HERE).status_code == 403


@pytest.mark.parametrize(
    "value",
    [
        "https://*.example.org",
        "http://www.example.org",
        "https://www.example.org/path",
        "javascript:alert(1)",
        "www.example.org",
        "https://user@www.example.org",
    ],
)
def test_only_plain_origins_are_registered(value):
    with pytest.raises(ValidationError):
        origin_of(value)


def test_loopback_may_be_plain_http_for_trying_it_out():
    assert origin_of("http://127.0.0.1:8001/") == "http://127.0.0.1:8001"
