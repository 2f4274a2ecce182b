"""Public counts: confirmed letters only; names only of those who agreed, name and country."""

import pytest
from django.urls import reverse

from picketline.letters import counters
from picketline.letters.models import Letter, Role
from picketline.supporters.models import Consent
from tests.letters.helpers import confirmed_letter, embassy_action, target

pytestmark = pytest.mark.django_db


def publish_name(letter):
    Consent.record(
        letter.supporter,
        Consent.Purpose.PUBLISH_NAME,
        "Publish my name",
        "en",
        "/",
        action=letter,
        confirmed=True,
    )


def setup_letters():
    target("Embassy of Belarus in Germany", "DE", Role.EMBASSY_OF_BELARUS)
    action = embassy_action()
    listed = confirmed_letter(action, email="a@example.net", name="Anna Listed", country="DE")
    publish_name(listed)
    confirmed_letter(action, email="b@example.net", name="Bernd Private", country="DE")
    confirmed_letter(action, email="s@example.net", name="Sven Fallback", country="SE")
    unconfirmed = Letter.objects.create(action=action, country="DE", language="en")
    return action, listed, unconfirmed


def test_it_counts_confirmed_letters_per_action_country_and_in_total():
    action, _, _ = setup_letters()
    assert counters.letters_for(action) == 3
    assert counters.letters_total() == 3
    by_country = {row.code: row.letters for row in counters.per_target_country(action)}
    assert by_country == {"DE": 2, "BY": 1}


def test_the_action_page_shows_the_counts_and_only_consenting_names(client):
    action, listed, _ = setup_letters()
    html = client.get(reverse("letters:action", kwargs={"slug": action.slug})).content.decode()
    assert "3 letters confirmed so far." in html
    # The name the consent lets us publish, and nothing more (not where the letter went).
    assert "<li>Anna Listed</li>" in html
    assert "Only those who asked to be listed, by name." in html
    assert "Bernd Private" not in html
    assert "Sven Fallback" not in html
    assert "a@example.net" not in html


def test_a_withdrawn_consent_takes_the_name_down(client):
    action, listed, _ = setup_letters()
    Consent.objects.get(purpose=Consent.Purpose.PUBLISH_NAME).withdraw()
    html = client.get(reverse("letters:action", kwargs={"slug": action.slug})).content.decode()
    assert "Anna Listed" not in html


def test_the_letters_index_shows_the_total(client):
    setup_letters()
    html = client.get(reverse("letters:index")).content.decode()
    assert "<strong>3</strong> letters confirmed so far" in html


def test_the_campaign_home_page_gets_a_letters_block(rf):
    from picketline.letters.campaign_blocks import blocks

    action, _, _ = setup_letters()
    [block] = blocks(None, rf.get("/"))
    html = block.render(rf.get("/"))
    assert action.title in html
    assert "<strong>3</strong> letters confirmed so far" in html


def test_a_page_reads_the_counts_from_the_cache_not_from_every_letter(
    django_assert_num_queries,
):
    action, _, _ = setup_letters()
    assert counters.letters_for(action) == 3
    counters.per_target_country(action)
    counters.signatories(action)
    with django_assert_num_queries(0):
        assert counters.letters_for(action) == 3
        assert {row.code for row in counters.per_target_country(action)} == {"DE", "BY"}
        assert counters.signatories(action) == ["Anna Listed"]


def test_a_name_withdrawn_after_the_page_was_seen_goes_at_once(
    client, django_capture_on_commit_callbacks
):
    action, listed, _ = setup_letters()
    page = reverse("letters:action", kwargs={"slug": action.slug})
    assert "Anna Listed" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the content version changes
        Consent.objects.get(purpose=Consent.Purpose.PUBLISH_NAME).withdraw()
    assert "Anna Listed" not in client.get(page).content.decode()


def test_an_erasure_leaves_the_counts_cached_and_takes_the_name_down(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    action, listed, _ = setup_letters()
    counters.letters_for(action), counters.per_target_country(action)
    assert counters.signatories(action)
    with django_capture_on_commit_callbacks(execute=True):
        listed.supporter.erase()
    with django_assert_num_queries(0):  # an erased letter stays counted
        assert counters.letters_for(action) == 3
        counters.per_target_country(action)
    assert counters.signatories(action) == []


def test_each_language_reads_the_country_names_of_its_own(rf):
    """The cache keeps the counts, not names in whichever language asked first."""
    from django.utils import translation

    from picketline.letters.campaign_blocks import blocks

    setup_letters()
    shown = {}
    for language in ("be", "ru", "de"):
        with translation.override(language):
            [block] = blocks(None, rf.get("/"))
            shown[language] = block.render(rf.get("/"))
    assert "Германія" in shown["be"] and "Беларусь" in shown["be"]
    assert "Германия" in shown["ru"] and "Германія" not in shown["ru"]
    assert "Deutschland" in shown["de"] and "Германия" not in shown["de"]


def test_an_erased_writers_letter_stays_in_the_countries_as_in_the_total(
    django_capture_on_commit_callbacks,
):
    action, listed, _ = setup_letters()
    with django_capture_on_commit_callbacks(execute=True):
        listed.supporter.erase()
    assert counters.letters_for(action) == 3
    by_country = {row.code: row.letters for row in counters.per_target_country(action)}
    assert by_country == {"DE": 2, "BY": 1}
