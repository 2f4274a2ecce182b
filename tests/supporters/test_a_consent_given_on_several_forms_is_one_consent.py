""" "Keep me informed" ticked on three forms is one consent: the privacy page shows it once, with
each time it was given, and withdrawing it takes the person off the list at once, as the page
promises. A partner's consent is one per partner. The consents to send a letter in one's name,
to publish one's name or one's video are each for one action: the page says which, and
withdrawing one leaves the others standing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from picketline.mailings import audience
from picketline.partners.models import Partner
from picketline.supporters import flow
from picketline.supporters.models import Consent, Subscription, Supporter
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db

EMAIL = "ana@example.org"


def news_consent(partner: Partner | None = None, email: str = EMAIL) -> Consent:
    """One more form sent with a "keep me informed" box ticked (the organiser's, or a
    partner's), confirmed."""
    supporter, _ = Supporter.get_or_create_for_email(email, name="Ana Example", language="en")
    subscription = Subscription.objects.create(supporter=supporter)
    consent = Consent.record(
        supporter,
        Consent.Purpose.PARTNER_UPDATES if partner else Consent.Purpose.ORGANISER_UPDATES,
        "Keep me informed",
        "en",
        "/en/me/keep-me-informed/",
        partner=partner,
        action=subscription,
    )
    subscription.confirm()
    return consent


def open_privacy_page(client, supporter: Supporter) -> None:
    token = flow.privacy_token(supporter)
    assert client.post(reverse("supporters:privacy_open", args=[token])).status_code == 302


def consent_entries(page: str) -> list[str]:
    """Each consent the privacy page lists, as its HTML."""
    listed = page[page.index('class="mine-consents"') :].split("</ul>\n<h2>")[0]
    return listed.split("<li><strong>")[1:]


def standing(supporter: Supporter, purpose: str) -> list[Consent]:
    return list(supporter.consents.active().filter(purpose=purpose))


def test_it_shows_news_consents_given_three_times_as_one_with_three_dates(client):
    for _ in range(3):
        consent = news_consent()
    supporter = consent.supporter

    open_privacy_page(client, supporter)
    (entry,) = consent_entries(client.get(reverse("supporters:mine")).content.decode())

    assert entry.count("Given ") == 3
    assert entry.count("Withdraw this consent") == 1
    assert "however many forms you ticked it on" in entry


def test_withdrawing_it_once_withdraws_every_news_consent_and_leaves_every_mailing(client):
    for _ in range(3):
        consent = news_consent()
    supporter = consent.supporter
    someone_else = news_consent(email="bo@example.org").supporter
    assert set(audience.consenting()) == {supporter, someone_else}

    open_privacy_page(client, supporter)
    first = supporter.consents.order_by("given_at").first()
    response = client.post(reverse("supporters:withdraw", args=[first.pk]))

    assert response.status_code == 302
    assert standing(supporter, Consent.Purpose.ORGANISER_UPDATES) == []
    assert list(audience.consenting()) == [someone_else]
    assert list(Supporter.objects.informed()) == [someone_else]
    # The page no longer offers to withdraw it, and keeps each time it was given.
    (entry,) = consent_entries(client.get(reverse("supporters:mine")).content.decode())
    assert "Withdraw this consent" not in entry
    assert entry.count("withdrawn ") == 3


def test_the_model_withdraws_them_all_from_any_one_of_them():
    consents = [news_consent() for _ in range(3)]

    assert consents[1].withdraw() is True
    assert consents[1].withdrawn_at is not None
    assert not Consent.objects.active().exists()
    assert consents[0].withdraw() is False


def test_a_news_consent_given_again_after_withdrawing_stands_on_its_own():
    news_consent().withdraw()
    again = news_consent()

    assert standing(again.supporter, Consent.Purpose.ORGANISER_UPDATES) == [again]
    assert list(Supporter.objects.informed()) == [again.supporter]


def test_withdrawing_a_partners_consent_leaves_another_partners_and_the_organisers():
    ituc = Partner.objects.create(name="ITUC", slug="ituc")
    libereco = Partner.objects.create(name="Libereco", slug="libereco")
    news_consent(ituc)
    news_consent(ituc)
    news_consent(libereco)
    supporter = news_consent().supporter

    news_consent(ituc).withdraw()

    assert list(Supporter.objects.informed(partner=ituc)) == []
    assert list(Supporter.objects.informed(partner=libereco)) == [supporter]
    assert list(Supporter.objects.informed()) == [supporter]
    left = supporter.consents.active().values_list("purpose", "partner__name")
    assert sorted(left, key=str) == sorted(
        [
            (Consent.Purpose.ORGANISER_UPDATES, None),
            (Consent.Purpose.PARTNER_UPDATES, "Libereco"),
        ],
        key=str,
    )


def test_the_page_lists_one_entry_per_partner(client):
    ituc = Partner.objects.create(name="ITUC", slug="ituc")
    libereco = Partner.objects.create(name="Libereco", slug="libereco")
    news_consent(ituc)
    news_consent(ituc)
    supporter = news_consent(libereco).supporter

    open_privacy_page(client, supporter)
    entries = consent_entries(client.get(reverse("supporters:mine")).content.decode())

    assert len(entries) == 2
    (for_ituc,) = [entry for entry in entries if "(ITUC)" in entry]
    assert for_ituc.count("Given ") == 2


def sign_with_name(action, email: str = EMAIL) -> Consent:
    letter = confirmed_letter(action, email=email)
    return Consent.record(
        letter.supporter,
        Consent.Purpose.PUBLISH_NAME,
        "Publish my name",
        "en",
        "/en/letters/",
        action=letter,
        confirmed=True,
    )


def test_consents_given_for_one_action_stay_with_that_action(client):
    embassy = target("Embassy of Belarus", "DE")
    release = sign_with_name(letter_action("release", title="Release them", fixed=[embassy]))
    access = sign_with_name(letter_action("access", title="Let observers in", fixed=[embassy]))
    supporter = release.supporter

    open_privacy_page(client, supporter)
    page = client.get(reverse("supporters:mine")).content.decode()
    entries = [entry for entry in consent_entries(page) if "Publish my name" in entry]
    # Each says which letter it covers, and has its own button.
    assert len(entries) == 2
    assert sum("Release them" in entry for entry in entries) == 1
    assert sum("Let observers in" in entry for entry in entries) == 1
    assert all("Withdraw this consent" in entry for entry in entries)
    sent_in_my_name = standing(supporter, Consent.Purpose.SEND_IN_MY_NAME)
    assert len(sent_in_my_name) == 2

    client.post(reverse("supporters:withdraw", args=[release.pk]))

    assert standing(supporter, Consent.Purpose.PUBLISH_NAME) == [access]
    assert standing(supporter, Consent.Purpose.SEND_IN_MY_NAME) == sent_in_my_name


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ru", "Вы отозвали своё согласие"),
        ("be", "Вы адклікалі сваю згоду"),
        ("de", "Sie haben Ihre Einwilligung"),
        ("en", "You have withdrawn your consent"),
    ],
)
def test_after_withdrawing_the_top_of_the_page_says_what_was_withdrawn(client, language, said):
    consent = news_consent()
    open_privacy_page(client, consent.supporter)

    response = client.post(f"/{language}/me/privacy/mine/consents/{consent.pk}/withdraw/")
    page = client.get(response.url).content.decode()

    top = page[: page.index("<h1")]
    (message,) = re.findall(r'<div class="wrap messages" role="status">(.*?)</div>', top, re.S)
    assert said in message
    with translation.override(language):
        assert str(Consent.Purpose.ORGANISER_UPDATES.label) in message
    # Said once: the next visit shows no message.
    assert said not in client.get(response.url).content.decode()


def test_after_withdrawing_a_letters_consent_the_message_names_the_letter(client):
    embassy = target("Embassy of Belarus", "DE")
    consent = sign_with_name(letter_action("release", title="Release them", fixed=[embassy]))
    open_privacy_page(client, consent.supporter)

    response = client.post(reverse("supporters:withdraw", args=[consent.pk]), follow=True)

    message = response.content.decode().split('role="status">', 1)[1].split("</div>", 1)[0]
    assert "publish my name" in message
    assert "Release them" in message
