from urllib.parse import parse_qs, urlsplit

import pytest

from picketline.campaigns.share import mastodon_host, mastodon_share_url, share_links
from tests.campaigns.helpers import make_campaign, make_hashtag

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = make_campaign()
    make_hashtag(campaign, "FreeBelarusUnionists")
    make_hashtag(campaign, "April19_WorkersRights")
    return campaign


def test_it_builds_plain_share_links_for_each_network():
    links = {
        link.network: urlsplit(link.url)
        for link in share_links("Free them #Tag", "https://c.example/en/")
    }
    assert links["Bluesky"].netloc == "bsky.app" and links["Bluesky"].path == "/intent/compose"
    assert parse_qs(links["Bluesky"].query)["text"] == [
        "Free them #Tag https://c.example/en/?src=share:bluesky"
    ]
    assert links["X"].netloc == "x.com" and links["X"].path == "/intent/post"
    assert parse_qs(links["X"].query)["text"] == [
        "Free them #Tag https://c.example/en/?src=share:x"
    ]
    assert links["Facebook"].path == "/sharer/sharer.php"
    assert parse_qs(links["Facebook"].query) == {"u": ["https://c.example/en/?src=share:facebook"]}
    assert links["Telegram"].netloc == "t.me" and links["Telegram"].path == "/share/url"
    assert parse_qs(links["Telegram"].query) == {
        "url": ["https://c.example/en/?src=share:telegram"],
        "text": ["Free them #Tag"],
    }


def test_it_shows_hashtags_in_readonly_inputs_with_share_links(client, campaign):
    html = client.get("/en/").content.decode()
    assert 'value="#FreeBelarusUnionists" readonly' in html
    assert 'data-copy="hashtag-' in html and " hidden>" in html  # the button appears with JS
    assert 'href="https://bsky.app/intent/compose?text=' in html
    assert 'href="https://x.com/intent/post?text=' in html
    assert (
        'href="https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Fen%2F%3Fsrc%3Dshare%3Afacebook"'
        in html
    )
    assert 'href="https://t.me/share/url?url=' in html
    assert 'href="/en/share/mastodon/?tag=April19_WorkersRights"' in html
    assert '<form class="mastodon-form" method="get" action="/en/share/mastodon/">' in html
    # Every link to a network is plain and keeps our address to itself.
    for network in ("bsky.app", "x.com", "facebook.com", "t.me"):
        start = html.index(
            f"https://{network}" if network != "facebook.com" else "https://www.facebook.com"
        )
        tag = html[html.rindex("<a", 0, start) : html.index(">", start)]
        assert 'rel="noopener noreferrer"' in tag
    assert '<script src="http' not in html


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        ("  Mastodon.Social ", "mastodon.social"),
        ("https://mastodon.social/", "mastodon.social"),
        ("https://mastodon.social/@someone", "mastodon.social"),
        ("@me@chaos.social", "chaos.social"),
        ("me@social.example.org", "social.example.org"),
        ("mastodon.social.", "mastodon.social"),
        ("бел.example", "xn--90ais.example"),
        ("abc.onion", "abc.onion"),
    ],
)
def test_it_reads_the_instance_host_from_what_people_type(typed, host):
    assert mastodon_host(typed) == host


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "localhost",
        "127.0.0.1",
        "mastodon",
        "-bad.example",
        "bad-.example",
        "a..b",
        "exa mple.org",
        "example.org:8080",
        "javascript:alert(1)",
        "x" * 64 + ".example",
        ("a" * 60 + ".") * 5 + "example",
        "mastodon.social\\@evil.example",
        "<script>.example",
    ],
)
def test_it_refuses_anything_that_is_not_a_host_name(typed):
    assert mastodon_host(typed) is None


def test_it_links_to_the_instances_share_page():
    assert (
        mastodon_share_url("chaos.social", "Free them #A https://c.example/en/")
        == "https://chaos.social/share?text=Free%20them%20%23A%20https%3A%2F%2Fc.example%2Fen%2F"
    )


def test_it_asks_for_the_instance_without_one(client, campaign):
    response = client.get("/de/share/mastodon/?tag=FreeBelarusUnionists")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="instance"' in html
    assert '<input type="hidden" name="tag" value="FreeBelarusUnionists">' in html
    assert "https://" not in html.split("<main", 1)[1].split("</main>")[0].replace(
        "http://testserver", ""
    )


def test_it_gives_a_link_to_the_instance_without_redirecting(client, campaign):
    response = client.get(
        "/en/share/mastodon/", {"instance": "https://Chaos.Social/", "tag": "FreeBelarusUnionists"}
    )
    html = response.content.decode()
    assert response.status_code == 200  # a page with a link, never a redirect off-site
    expected = mastodon_share_url(
        "chaos.social", "Union work is no crime: #FreeBelarusUnionists http://testserver/en/"
    )
    assert f'href="{expected}" rel="noopener noreferrer"' in html


def test_it_shares_all_hashtags_without_a_known_tag(client, campaign):
    response = client.get("/en/share/mastodon/", {"instance": "chaos.social", "tag": "Unknown"})
    html = response.content.decode()
    assert "#FreeBelarusUnionists #April19_WorkersRights" in html
    assert "Unknown" not in html.split("<main", 1)[1]


def test_it_explains_a_bad_instance(client, campaign):
    response = client.get("/en/share/mastodon/", {"instance": "javascript:alert(1)"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "does not look like the name of a Mastodon server" in html
    assert 'aria-invalid="true"' in html
    assert "share?text=" not in html


def test_it_writes_the_share_text_from_title_and_hashtags(campaign):
    assert campaign.share_text() == (
        "Union work is no crime: #FreeBelarusUnionists #April19_WorkersRights"
    )
    campaign.title_en = "Union work is not extremism!"
    tag = campaign.hashtags.get(text="April19_WorkersRights")
    assert campaign.share_text(tag) == "Union work is not extremism! #April19_WorkersRights"
