"""Every action keeps where it came from — a partner's embed, a partner's link with a code, a
share channel — from the page it was taken on, and nothing about the visitor."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from picketline.letters.models import Letter
from picketline.partners.models import Partner, validate_source
from picketline.supporters.models import Consent, Subscription
from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def dgb():
    return Partner.objects.create(
        name="DGB", slug="dgb", origins="https://www.dgb.de", link_codes="newsletter\nmarch\nreport"
    )


@pytest.fixture
def action_url():
    target("Embassy of Belarus in Germany", "DE")
    return reverse("letters:action", kwargs={"slug": embassy_action().slug})


def test_a_partners_link_carries_its_code_through_the_form(client, dgb, action_url):
    page = client.get(action_url, {"via": "dgb", "src": "link:newsletter"})
    html = page.content.decode()
    assert '<input type="hidden" name="via" value="dgb">' in html
    assert '<input type="hidden" name="src" value="link:newsletter">' in html
    assert "Give my name and e-mail address to DGB" in html  # its consent line, unticked
    client.post(action_url, form_data(via="dgb", src="link:newsletter"))
    letter = Letter.objects.get()
    assert (letter.partner, letter.source) == (dgb, "link:newsletter")


def test_a_share_channel_is_kept_without_a_partner(client, action_url):
    client.post(action_url, form_data(src="share:mastodon"))
    letter = Letter.objects.get()
    assert (letter.partner, letter.source) == (None, "share:mastodon")


def test_a_letter_from_the_site_itself_names_no_source(client, dgb, action_url):
    html = client.get(action_url).content.decode()
    assert "DGB" not in html  # no partner takes part in a form nobody came through
    client.post(action_url, form_data())
    assert Letter.objects.values_list("partner", "source").get() == (None, "")


@pytest.mark.parametrize(
    "src",
    [
        "share:myspace",
        "embed",  # only an embed's own address says so
        "link:" + "x" * 30,
        "link:Anna.Schmidt@example.net",
        "ref:anna",
    ],
)
def test_anything_outside_the_vocabulary_is_dropped_and_the_letter_still_goes(
    client, dgb, action_url, src
):
    client.post(action_url, form_data(via="dgb", src=src))
    letter = Letter.objects.get()
    assert (letter.partner, letter.source) == (dgb, "link")


@pytest.mark.parametrize("code", ["anna-schmidt", "k7f3q9x2m4p8w1z6", "newsletter-2"])
def test_a_code_the_partner_did_not_register_is_dropped_so_no_link_tracks_a_person(
    client, dgb, action_url, code
):
    # A code per reader of a newsletter would single each of them out: only the campaign codes
    # organisers registered for the partner are kept, anything else is the partner's plain link.
    page = client.get(action_url, {"via": "dgb", "src": f"link:{code}"}).content.decode()
    assert '<input type="hidden" name="src" value="link">' in page
    client.post(action_url, form_data(via="dgb", src=f"link:{code}"))
    assert Letter.objects.values_list("partner", "source").get() == (dgb.pk, "link")


def test_a_partners_codes_are_its_own(client, dgb, action_url):
    Partner.objects.create(name="ETUC", slug="etuc", link_codes="congress")
    client.post(action_url, form_data(via="dgb", src="link:congress"))
    assert Letter.objects.values_list("partner", "source").get() == (dgb.pk, "link")


@pytest.mark.parametrize(
    "codes", ["Anna.Schmidt@example.net", "a_b", "x" * 25, "\n".join(f"c{n}" for n in range(51))]
)
def test_only_a_few_short_plain_codes_can_be_registered(codes):
    partner = Partner(name="DGB", slug="dgb", link_codes=codes)
    with pytest.raises(ValidationError):
        partner.full_clean()


def test_an_unknown_or_inactive_partner_is_dropped(client, dgb, action_url):
    dgb.active = False
    dgb.save()
    client.post(action_url, form_data(via="dgb", src="link:newsletter", consent_partner="on"))
    assert Letter.objects.values_list("partner", "source").get() == (None, "")
    assert not Consent.objects.filter(purpose=Consent.Purpose.PARTNER_UPDATES).exists()


def test_a_subscription_keeps_its_source_too(client, dgb):
    client.post(
        reverse("supporters:subscribe"),
        {
            "email": "anna@example.net",
            "consent_organiser_updates": "on",
            "via": "dgb",
            "src": "link:march",
            "consent_partner": "on",
        },
    )
    subscription = Subscription.objects.get()
    assert (subscription.partner, subscription.source) == (dgb, "link:march")
    assert Consent.objects.get(purpose=Consent.Purpose.PARTNER_UPDATES).partner == dgb


@pytest.mark.parametrize(
    "value", ["embed", "link", "link:newsletter", "share:bluesky", "share:x", ""]
)
def test_the_vocabulary(value):
    validate_source(value)


@pytest.mark.parametrize("value", ["share:", "link:", "embed:ituc", "192.0.2.1", "link:a b"])
def test_what_is_not_a_source(value):
    with pytest.raises(ValidationError):
        validate_source(value)


@pytest.mark.parametrize(
    ("query", "cached"),
    [
        ("", True),
        ("src=share:x", True),
        ("via=ituc&src=link:newsletter", True),
        ("via=ituc", True),
        ("country=DE", False),
        ("src=share:x&country=DE", False),
        ("src=Anna%40example.net", False),
        ("src=" + "a" * 41, False),
    ],
)
def test_a_shared_link_is_served_from_the_page_cache_with_its_attribution_in_the_key(query, cached):
    from picketline.web.cache import PageKeys

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/en/letters/release/",
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
    }
    key = PageKeys().key(environ)
    assert (key is not None) == cached
    if cached and query:
        assert key.endswith("?" + query)


def test_the_cached_page_of_a_shared_link_keeps_its_channel(client, dgb, action_url):
    for _ in range(2):  # the second answer comes from the cache
        html = client.get(action_url + "?src=share:telegram").content.decode()
        assert '<input type="hidden" name="src" value="share:telegram">' in html
    plain = client.get(action_url).content.decode()
    assert 'name="src" value="share:telegram"' not in plain


def test_a_report_from_a_partners_link_keeps_it(client, dgb, media_dirs):
    from picketline.submissions.models import ActionReport
    from tests.submissions.test_endorsements_and_reports import report_data

    url = reverse("submissions:report_form")
    html = client.get(url, {"via": "dgb", "src": "link:report"}).content.decode()
    assert '<input type="hidden" name="src" value="link:report">' in html
    client.post(url, report_data(via="dgb", src="link:report"))
    report = ActionReport.objects.get()
    assert (report.partner, report.source) == (dgb, "link:report")


def test_the_dashboard_counts_an_action_under_the_partner_and_source_it_came_through(
    client, dgb, action_url
):
    from picketline.dashboard import counting
    from picketline.dashboard.models import DailyCount
    from tests.letters.helpers import confirm_url

    client.post(action_url, form_data(via="dgb", src="link:newsletter"))
    letter = Letter.objects.get()
    client.post(confirm_url(letter))
    counting.fold()
    counted = DailyCount.objects.filter(
        kind="letters.letter", dimension__in=["partner", "source"]
    ).values_list("dimension", "value", "submitted", "confirmed")
    assert set(counted) == {("partner", str(dgb.pk), 1, 1), ("source", "link:newsletter", 1, 1)}


def cached_keys(client, url: str) -> set[str]:
    """The page-cache keys a GET of ``url`` leaves behind for its query."""
    from django.core.cache import caches

    from picketline.web.cache import PageKeys

    path, _, query = url.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
    key = PageKeys().key({**environ, "SERVER_NAME": "testserver", "SERVER_PORT": "80"})
    assert key is not None  # a plain attribution query: the cache is asked
    client.get(url)
    return {key} if caches["default"].get(key) is not None else set()


@pytest.mark.parametrize(
    "query",
    [
        "via=nobody1",  # no such partner
        "via=dgb&src=link:k7f3q9x2m4p8",  # a code the partner did not register
        "src=link:newsletter",  # a link code without its partner
        "src=share:myspace",
        "via=dgb&src=embed",
    ],
)
def test_an_attribution_nobody_gave_out_is_not_stored_so_the_cache_cannot_be_flooded(
    client, dgb, action_url, query
):
    # Every distinct query is a key of its own: were made-up values stored, anyone could fill
    # the cache with copies of one page and push the real pages out.
    assert cached_keys(client, f"{action_url}?{query}") == set()


@pytest.mark.parametrize(
    "query", ["via=dgb", "via=dgb&src=link:newsletter", "src=share:telegram", "via=dgb&src=share:x"]
)
def test_a_link_that_was_given_out_is_stored(client, dgb, action_url, query):
    assert len(cached_keys(client, f"{action_url}?{query}")) == 1


def test_the_supporter_sees_which_partner_and_link_their_action_came_through(
    client, dgb, action_url
):
    # "See everything we hold about you": where an action came from is held with it.
    client.post(action_url, form_data(via="dgb", src="link:newsletter"))
    supporter = Letter.objects.get().supporter
    (entry,) = supporter.personal_data()["actions"]
    assert entry["came_through"] == {"partner": "DGB", "source": "link:newsletter"}


def test_an_action_taken_on_the_site_itself_came_through_nothing(client, action_url):
    client.post(action_url, form_data())
    (entry,) = Letter.objects.get().supporter.personal_data()["actions"]
    assert entry["came_through"] == {"partner": "", "source": ""}
