import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from picketline.api.writes import MAX_BODY
from picketline.mail.models import OutgoingMessage
from picketline.partners.models import Partner
from picketline.submissions.models import Endorsement
from picketline.supporters.models import Consent
from tests.api.openapi import validate

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


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
)
def test_a_cross_site_form_cannot_send_an_endorsement(content_type):
    # What a page on another site can make its visitors' browsers send without a preflight.
    client = Client(enforce_csrf_checks=True)
    if content_type == "text/plain":
        response = client.post(URL, json.dumps(fields()), content_type=content_type)
    elif content_type == "multipart/form-data":
        response = client.post(URL, fields())
    else:
        response = client.post(URL, urlencode(fields()), content_type=content_type)
    assert response.status_code == 415
    validate(response, URL, "post")
    assert "Access-Control-Allow-Origin" not in response
    assert not Endorsement.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_another_site_cannot_read_the_answer_to_a_write(api):
    response = api.post(URL, fields(), Origin="https://elsewhere.example")
    assert response.status_code == 202
    assert not any(header.startswith("Access-Control-") for header in response.headers)


def test_the_preflight_offers_no_write(client):
    response = client.options(
        URL,
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "content-type" not in response["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize(
    "body",
    [
        '{"members": ' + "9" * 5000 + "}",
        '{"members": ' + "1" + "0" * 4000 + "}",
        '{"statement": ' + "[" * 9000 + "]" * 9000 + "}",
        "[" * 9000 + "]" * 9000,
        '{"members": 1e999999}',
        '{"name": "\xff"}',
    ],
    ids=["5000 digits", "4001 digits", "nested value", "nested body", "infinity", "latin-1"],
)
def test_an_outsized_body_is_a_400(api, body):
    response = api.client.post(URL, body.encode("latin-1"), content_type="application/json")
    assert response.status_code == 400
    validate(response, URL, "post")
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("length", [MAX_BODY + 1, 3_000_000], ids=["ours", "past Django's"])
def test_a_body_past_the_limit_is_a_json_413(api, length):
    body = '{"statement": "' + "a" * (length - 17) + '"}'
    response = api.client.post(URL, body, content_type="application/json")
    assert response.status_code == 413
    validate(response, URL, "post")  # JSON, as documented, not the site's HTML page
    assert response.json() == {"error": f"The body is longer than {MAX_BODY} bytes."}
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("field", ["name", "organisation", "contact_role", "org_country"])
@pytest.mark.parametrize("character", ["\r", "\n", "\x00", "\x1b"])
def test_names_and_titles_refuse_control_characters(api, field, character):
    response = api.post(URL, fields(**{field: f"Kari{character}Bcc: x@evil.example"}))
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not OutgoingMessage.objects.exists()


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


# Where an endorsement came from, recorded as the web forms record it ----------------------


@pytest.fixture
def ituc():
    return Partner.objects.create(name="ITUC", slug="ituc", link_codes="spring-mail")


@pytest.mark.parametrize(
    "given, recorded",
    [
        ({"partner": "ituc", "source": "link:spring-mail"}, ("ituc", "link:spring-mail")),
        ({"partner": "ituc"}, ("ituc", "link")),
        ({"partner": "ituc", "source": "share:telegram"}, ("ituc", "share:telegram")),
        ({"source": "share:mastodon"}, (None, "share:mastodon")),
        ({}, (None, "")),
    ],
)
def test_a_partner_and_a_source_are_recorded(api, ituc, given, recorded):
    response = api.post(URL, fields(**given))
    assert response.status_code == 202
    validate(response, URL, "post")
    endorsement = Endorsement.objects.get()
    assert (endorsement.partner and endorsement.partner.slug, endorsement.source) == recorded


@pytest.mark.parametrize(
    "given, recorded",
    [
        ({"partner": "nobody", "source": "link:spring-mail"}, (None, "")),  # no such partner
        ({"partner": "retired"}, (None, "")),  # no longer active
        ({"source": "link:spring-mail"}, (None, "")),  # a partner's link without its partner
        ({"partner": "ituc", "source": "embed"}, ("ituc", "link")),  # only an embed's address
        ({"partner": "ituc", "source": "share:myspace"}, ("ituc", "link")),
        ({"source": "https://evil.example/"}, (None, "")),
        ({"partner": "i" * 500, "source": "s" * 500}, (None, "")),
    ],
)
def test_anything_outside_the_vocabulary_is_dropped_and_the_endorsement_taken(
    api, ituc, given, recorded
):
    Partner.objects.create(name="Retired", slug="retired", active=False)
    response = api.post(URL, fields(**given))
    assert response.status_code == 202
    endorsement = Endorsement.objects.get()
    assert (endorsement.partner and endorsement.partner.slug, endorsement.source) == recorded


def test_a_partner_named_in_the_body_gets_no_consent_through_the_api(api, ituc):
    api.post(URL, fields(partner="ituc", consent_partner="on"))
    assert Endorsement.objects.get().partner == ituc
    assert not Consent.objects.exists()


def test_the_openapi_document_describes_partner_and_source(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    properties = schema["EndorsementSubmission"]["properties"]
    assert "active partner" in properties["partner"]["description"]
    for word in ("link:<code>", "share:<channel>", "telegram", "dropped"):
        assert word in properties["source"]["description"]
    assert "partner" not in schema["EndorsementSubmission"]["required"]


def test_a_code_the_partner_never_registered_is_kept_as_its_plain_link(api, ituc):
    # A code per reader of a newsletter would single each out: only registered codes count.
    response = api.post(URL, fields(partner="ituc", source="link:reader-4711"))
    assert response.status_code == 202
    endorsement = Endorsement.objects.get()
    assert (endorsement.partner.slug, endorsement.source) == ("ituc", "link")
