"""A supporter in a country marked as dangerous who counts their support inside a partner's
generic embed (the count every embedded form offers) and is refused stays inside the frame:
the answer is a page of the embed, framed by the partner only, that leads back to the embed's
own form in the frame and links nothing else in it (other links open a tab of their own); no
link to the campaign's home page. On the site itself the refusals stay as they were."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from picketline.partners.models import Partner
from picketline.supporters.models import AnonymousCount, DangerousCountry

from .test_a_supporter_in_danger_counts_support_inside_the_frame import (
    FRAMED,
    HERE,
    counting_form,
    warned_in_the_frame,
)
from .test_every_action_can_be_embedded import embeds

pytestmark = pytest.mark.django_db

NOTHING_COUNTED = {
    "en": "Nothing was counted",
    "ru": "Ничего не засчитано",
    "be": "Нічога не ўлічана",
    "de": "Nichts wurde gezählt",
}


@pytest.fixture
def etuc():
    DangerousCountry.objects.create(code="BY")
    return Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")


def endorse_embed(language: str = "en") -> str:
    with translation.override(language):
        return reverse("submissions_embed:endorse_form", kwargs={"partner": "etuc"})


def count_in_the_frame(language: str = "en") -> str:
    with translation.override(language):
        return reverse("embed:count_support", args=["etuc"])


def stays_in_the_frame(answer, form: str) -> str:
    """The answer is the embed's page, framed by the partner, leading back to ``form`` in the
    frame; every other link opens a tab of its own (the embed's ``<base target="_blank">``)."""
    html = answer.content.decode()
    assert FRAMED in answer["Content-Security-Policy"]
    assert "X-Frame-Options" not in answer
    assert "ETUC supports" in html or 'class="embed-header__with"' in html  # the embed's layout
    assert '<base target="_blank">' in html
    in_the_frame = re.findall(r'<a [^>]*href="([^"]+)"[^>]*target="_(?:self|top|parent)"', html)
    assert in_the_frame == [form]
    assert not re.search(r'<a [^>]*href="/[a-z]{2}/"', html)  # no link to the home page
    return html


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_a_count_no_page_named_leads_back_to_the_embeds_form(client, etuc, language):
    form = endorse_embed(language)
    answer = client.post(
        count_in_the_frame(language),
        {"key": "not-a-count-of-ours"},
        HTTP_ORIGIN=HERE,
        HTTP_REFERER=HERE + form,
    )
    assert answer.status_code == 404
    html = stays_in_the_frame(answer, form)
    assert f"<h1>{NOTHING_COUNTED[language]}</h1>" in html
    assert f'lang="{language}"' in html
    assert not AnonymousCount.objects.exists()


@pytest.mark.parametrize(
    "referer",
    [
        "https://www.etuc.org/campaign/",  # a page elsewhere
        HERE + "/en/endorse/",  # the site's own page, not an embed
        HERE + "/en/embed/other/endorse/",  # another partner's embed
        None,
    ],
)
def test_a_count_no_page_named_leads_nowhere_it_cannot_vouch_for(client, etuc, referer):
    Partner.objects.create(name="Other", slug="other")
    extra = {"HTTP_REFERER": referer} if referer else {}
    answer = client.post(count_in_the_frame(), {}, HTTP_ORIGIN=HERE, **extra)
    assert answer.status_code == 404
    html = answer.content.decode()
    assert FRAMED in answer["Content-Security-Policy"] and "X-Frame-Options" not in answer
    assert "<h1>Nothing was counted</h1>" in html
    assert 'target="_self"' not in html
    assert not re.search(r'<a [^>]*href="/[a-z]{2}/"', html)


def test_a_count_over_the_days_limit_leads_back_to_the_embeds_form(client, etuc):
    url, data, _model = embeds(etuc)["endorsement"]
    action, fields = counting_form(warned_in_the_frame(client, url, {**data, "country": "BY"}))
    for _ in range(3):
        assert client.post(action, fields, HTTP_ORIGIN=HERE).status_code == 200

    answer = client.post(action, fields, HTTP_ORIGIN=HERE)

    assert answer.status_code == 429
    assert "<h1>Counted already</h1>" in stays_in_the_frame(answer, url)


def test_a_count_refused_for_want_of_an_origin_leads_back_to_the_form_not_the_home_page(
    client, etuc
):
    url, data, _model = embeds(etuc)["endorsement"]
    action, fields = counting_form(warned_in_the_frame(client, url, {**data, "country": "BY"}))

    answer = client.post(action, fields, HTTP_REFERER=HERE + url)  # no Origin, no Sec-Fetch-Site

    assert answer.status_code == 403
    html = stays_in_the_frame(answer, url)
    # The same action on the site, in a tab of its own, as the page says.
    offered = re.search(r'<a class="button" href="([^"]+)">', html)[1]
    assert offered == reverse("submissions:endorse_form")
    assert client.get(offered).status_code == 200
    assert not AnonymousCount.objects.exists()


def test_on_the_site_a_count_no_page_named_is_still_not_found(client, etuc):
    answer = client.post(
        reverse("supporters:count_support"),
        {"key": "not-a-count-of-ours"},
        HTTP_REFERER=HERE + reverse("submissions:endorse_form"),
    )
    assert answer.status_code == 404
    assert answer["X-Frame-Options"] == "DENY"  # the site's own 404, framed by nobody
    html = answer.content.decode()
    assert "Nothing was counted" not in html and "ETUC" not in html
    assert not AnonymousCount.objects.exists()
