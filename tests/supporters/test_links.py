"""Wrong, expired, reused and forged links: a clear page, never a 500, never a leak."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from picketline.supporters import flow
from picketline.supporters.models import Subscription

from .helpers import subscribe

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_gives_a_clear_page(client, method):
    response = getattr(client, method)("/en/me/confirm/not-a-real-token/")
    assert response.status_code == 400
    assert "This link cannot be used" in response.content.decode()


def test_a_link_signed_with_another_key_is_refused(client):
    _, action = subscribe()
    payload = {"m": "supporters.subscription", "i": action.pk, "c": 0, "w": "confirm"}
    forged = signing.dumps(payload, key="x" * 50, salt=flow.ACTION_SALT)
    response = client.post(f"/en/me/confirm/{forged}/")
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.confirmed_at is None


def test_a_link_for_a_model_that_is_not_an_action_is_refused(client):
    token = signing.dumps({"m": "auth.user", "i": 1, "c": 0, "w": "confirm"}, salt=flow.ACTION_SALT)
    assert client.post(f"/en/me/confirm/{token}/").status_code == 400


def test_an_expired_link_says_so(client):
    _, action = subscribe()
    token = flow.action_token(action, flow.CONFIRM)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(f"/en/me/confirm/{token}/")
    assert response.status_code == 410
    assert "too old" in response.content.decode()
    action.refresh_from_db()
    assert action.confirmed_at is None


def test_a_link_to_a_deleted_action_says_it_was_used(client):
    _, action = subscribe()
    token = flow.action_token(action, flow.CONFIRM)
    action.delete()
    response = client.get(f"/en/me/confirm/{token}/")
    assert response.status_code == 410


def test_a_reject_link_cannot_confirm_and_a_confirm_link_cannot_reject(client):
    _, action = subscribe()
    reject = flow.action_token(action, flow.REJECT)
    confirm = flow.action_token(action, flow.CONFIRM)
    assert client.post(f"/en/me/confirm/{reject}/").status_code == 400
    assert client.post(f"/en/me/not-me/{confirm}/").status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_it_was_not_me_after_confirming_changes_nothing(client):
    _, action = subscribe()
    action.confirm()
    reject = flow.action_token(action, flow.REJECT)
    response = client.post(f"/en/me/not-me/{reject}/")
    assert response.status_code == 200
    assert Subscription.objects.confirmed().count() == 1


def test_a_reused_confirm_link_is_harmless(client):
    _, action = subscribe()
    token = flow.action_token(action, flow.CONFIRM)
    client.post(f"/en/me/confirm/{token}/")
    response = client.post(f"/en/me/confirm/{token}/", follow=True)
    assert response.redirect_chain == [("/en/me/confirmed/already/", 302)]
    assert "already confirmed" in response.content.decode()
    assert Subscription.objects.confirmed().count() == 1


def test_forged_and_expired_privacy_links_give_a_clear_page(client):
    supporter, _ = subscribe()
    assert client.get("/en/me/privacy/open/garbage/").status_code == 400
    token = flow.privacy_token(supporter)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert client.post(f"/en/me/privacy/open/{token}/").status_code == 410


def test_the_resend_form_says_the_same_for_unknown_addresses(client):
    subscribe()
    known = client.post("/en/me/resend/", {"email": "ana@example.org"})
    unknown = client.post("/en/me/resend/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert "If there is anything waiting" in known.content.decode()
    assert "If there is anything waiting" in unknown.content.decode()


@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize("view", ["confirm", "not-me", "privacy/open"])
@given(
    token=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#\x00"),
        min_size=1,
    )
)
@hypothesis_settings(max_examples=40, deadline=None)
def test_no_token_whatever_it_is_gives_a_server_error(view, token):
    from urllib.parse import quote

    client = Client(raise_request_exception=True)
    for method in (client.get, client.post):
        response = method(f"/en/me/{view}/{quote(token, safe='')}/")
        assert response.status_code in (400, 404, 410)
