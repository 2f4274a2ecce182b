import pytest
from django.utils import timezone

from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import Endorsement
from picketline.supporters.models import Consent

pytestmark = pytest.mark.django_db

URL = "/api/v1/endorsements"


def fields(**overrides):
    data = {
        "name": "Kari Nordmann",
        "email": "kari@union.example",
        "organisation": "Fagforbundet avd. 1",
        "org_country": "Norway",
        "kind": "union",
        "members": 1200,
        "statement": "Free them.",
    }
    data.update(overrides)
    return data


def test_a_partner_sends_an_endorsement_that_waits_for_confirmation(api):
    response = api.post(URL, fields())
    assert response.status_code == 202
    endorsement = Endorsement.objects.get()
    assert endorsement.confirmed_at is None
    assert endorsement.supporter.email == "kari@union.example"
    mails = OutgoingMessage.objects.filter(kind="confirmation")
    assert mails.count() == 1
    assert api.json(URL)["items"] == []  # nothing public before confirmation and approval
    endorsement.confirmed_at = timezone.now()
    endorsement.status = "approved"
    endorsement.save()
    assert [e["organisation"] for e in api.json(URL)["items"]] == ["Fagforbundet avd. 1"]


def test_a_form_encoded_body_works_too(api):
    response = api.post(URL, fields(), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 202
    assert Endorsement.objects.count() == 1


def test_invalid_fields_are_named(api):
    response = api.post(URL, fields(email="not an address", kind="club"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "kind"}
    assert not Endorsement.objects.exists()


def test_a_filled_honeypot_is_answered_as_accepted_and_ignored(api):
    assert api.post(URL, fields(website="http://spam.example")).status_code == 202
    assert not Endorsement.objects.exists()


def test_optional_consents_cannot_be_given_through_the_api(api):
    api.post(URL, fields(consent_organiser_updates="on"))
    assert not Consent.objects.exists()


def test_it_is_rate_limited_like_the_web_form(api):
    statuses = [api.post(URL, fields(organisation=f"Union {n}")).status_code for n in range(10)]
    assert statuses[0] == 202
    assert 429 in statuses
    assert Endorsement.objects.count() == statuses.index(429)


@pytest.mark.parametrize(
    "body", [["a list"], {"statement": {"nested": 1}}, {"members": True}, {"members": "12"}]
)
def test_a_malformed_body_is_refused(api, body):
    response = api.client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert not Endorsement.objects.exists()
