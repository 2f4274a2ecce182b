"""A supporter in a country marked as dangerous who opens a partner's embed is offered to count
their support without a name, as on the site: inside the frame that works too, with no cookie
(none is set in a partner's frame) and posted to the embed's own address, which the partner's
origins may frame."""

import re

import pytest
from django.urls import reverse

from picketline.letters.models import AnonymousSupport
from picketline.partners.models import Partner
from picketline.supporters.models import AnonymousCount, DangerousCountry
from tests.letters.helpers import embassy_action, form_data, target

from .test_every_action_can_be_embedded import embeds

pytestmark = pytest.mark.django_db

HERE = "http://testserver"
FRAMED = "frame-ancestors https://www.etuc.org"


@pytest.fixture
def etuc():
    DangerousCountry.objects.create(code="BY")
    return Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")


def counting_form(page) -> tuple[str, dict[str, str]]:
    """The address and hidden fields of the "Count my support" form on a warning page."""
    html = page.content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" target="_self" class="safety__count">'
                     r"(.*?)</form>", html, re.S)  # fmt: skip
    assert form, "no form to count one's support"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[2]))
    return form[1], fields


def warned_in_the_frame(client, url, data):
    page = client.post(url, data, HTTP_ORIGIN=HERE)
    assert "Count my support" in page.content.decode()
    assert FRAMED in page["Content-Security-Policy"]
    assert not page.cookies  # a cookie set in a partner's frame is a third party's
    assert "csrfmiddlewaretoken" not in page.content.decode()
    return page


def counted_in_the_frame(client, action: str, fields: dict[str, str]):
    answer = client.post(action, fields, HTTP_ORIGIN=HERE)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Your support is counted" in html and "ETUC supports" in html  # the embed's layout
    assert FRAMED in answer["Content-Security-Policy"]
    assert "X-Frame-Options" not in answer and not answer.cookies
    return answer


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
def test_a_form_warning_counts_support_inside_the_frame(client, etuc, kind, media_dirs):
    url, data, _model = embeds(etuc)[kind]
    page = warned_in_the_frame(client, url, {**data, "country": "BY"})
    action, fields = counting_form(page)
    assert action == reverse("embed:count_support", args=["etuc"])
    counted_in_the_frame(client, action, fields)
    assert AnonymousCount.objects.get().count == 1


def test_a_letters_warning_counts_support_inside_the_frame(client, etuc):
    target("Embassy of Belarus in Germany", "DE")
    letter = embassy_action()
    url = reverse("letters_embed:action", kwargs={"partner": "etuc", "slug": letter.slug})
    page = warned_in_the_frame(client, url, form_data(country="BY"))
    action, fields = counting_form(page)
    assert action == reverse("letters_embed:count_support", args=["etuc", letter.slug])
    html = counted_in_the_frame(client, action, fields).content.decode()
    assert f'href="{url}" target="_self"' in html  # back to the letter, in the frame
    assert AnonymousSupport.count_for(letter) == 1


def test_a_count_posted_from_elsewhere_counts_nothing(client, etuc):
    target("Embassy of Belarus in Germany", "DE")
    letter = embassy_action()
    action = reverse("letters_embed:count_support", args=["etuc", letter.slug])
    answer = client.post(action, HTTP_ORIGIN="https://www.etuc.org")
    assert answer.status_code == 403
    assert AnonymousSupport.count_for(letter) == 0
    assert client.get(action).status_code == 405


@pytest.mark.parametrize("kind", ["registration", "endorsement", "video"])
def test_the_page_to_share_is_the_sites_own_not_the_partners_embed(client, etuc, kind, media_dirs):
    url, data, _model = embeds(etuc)[kind]
    page = warned_in_the_frame(client, url, {**data, "country": "BY"}).content.decode()
    share = re.search(r'<div class="share">.*?</div>', page, re.S)[0]
    assert "testserver%2Fen%2F" in share  # the links name a page of the site…
    assert "embed" not in share  # …not the partner's embed of it


def test_a_count_refused_for_want_of_an_origin_links_a_page_that_opens(client, etuc):
    """A browser that names no origin is refused, and offered the site instead: a page a link
    can open, not the address that only takes the count's POST."""
    target("Embassy of Belarus in Germany", "DE")
    letter = embassy_action()
    url = reverse("letters_embed:action", kwargs={"partner": "etuc", "slug": letter.slug})
    action, fields = counting_form(warned_in_the_frame(client, url, form_data(country="BY")))

    refused = client.post(action, fields)  # no Origin, no Sec-Fetch-Site

    assert refused.status_code == 403
    offered = re.search(r'<a class="button" href="([^"]+)"', refused.content.decode())
    assert offered, refused.content.decode()
    assert client.get(offered[1]).status_code == 200, offered[1]
    assert AnonymousSupport.count_for(letter) == 0
