"""Every view's edges: 405 for a method it does not take, 404 for an unknown slug, id or token,
and 403 (or the log-in page) for organiser pages without the permission.

The views come from the URL resolver, so a new view fails ``test_every_view_is_listed`` until
it is given a line in ``VIEWS`` below: which methods it takes, and whether only staff may see it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.fixtures.accounts import login_verified, make_staff

GET = frozenset({"GET"})
POST = frozenset({"POST"})
FORM = frozenset({"GET", "POST"})
API_READ = frozenset({"GET", "HEAD", "OPTIONS"})
TRIED = ("GET", "POST", "PUT", "PATCH", "DELETE")
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class View:
    methods: frozenset[str]
    staff: bool = False
    # What a well-formed but unknown slug, id or token gets, when it is not 404.
    unknown: int = 404


VIEWS: dict[str, View] = {
    "campaigns:home": View(frozenset({"GET", "HEAD"})),
    "campaigns:action": View(frozenset({"GET", "HEAD"})),
    "campaigns:share_mastodon": View(frozenset({"GET", "HEAD"})),
    "legal:imprint": View(frozenset({"GET", "HEAD"})),
    "legal:privacy_policy": View(frozenset({"GET", "HEAD"})),
    "campaigns:card": View(frozenset({"GET", "HEAD"})),
    "campaigns:action_card": View(frozenset({"GET", "HEAD"})),
    "campaigns:manifest": View(frozenset({"GET", "HEAD"})),
    "letters:index": View(GET),
    "letters:letter_pdf": View(GET),
    "letters:reply_answer": View(FORM),
    "letters:organiser_pdf": View(GET, staff=True),
    "letters:target_bundle_pdf": View(GET, staff=True),
    "letters:action": View(FORM),
    "letters:count_support": View(POST),
    "letters:card": View(GET),
    "letters:confirmed": View(GET),
    "letters:already_confirmed": View(GET),
    "supporters:subscribe": View(FORM),
    "supporters:pow_challenge": View(GET),
    "supporters:check_mail": View(GET),
    "letters_embed:action": View(FORM),
    "letters_embed:count_support": View(POST),
    "events_embed:detail": View(FORM),
    "submissions_embed:video_form": View(FORM),
    "submissions_embed:endorse_form": View(FORM),
    "embed:check_mail": View(GET),
    "embed:count_support": View(POST),
    "embed:logo": View(GET),
    # A link's token that does not verify is "invalid" (400), like a mangled one.
    "supporters:confirm": View(FORM, unknown=400),
    "supporters:confirmed": View(GET),
    "supporters:already_confirmed": View(GET),
    "supporters:reject": View(FORM, unknown=400),
    "supporters:resend": View(FORM),
    "supporters:count_support": View(POST),
    "supporters:privacy": View(FORM),
    "supporters:privacy_open": View(FORM, unknown=400),
    "supporters:mine": View(GET),
    "supporters:export": View(GET),
    # Without a privacy session every id gets "your session is over" (403); see below.
    "supporters:withdraw": View(POST, unknown=403),
    "supporters:erase": View(FORM),
    "supporters:leave": View(POST),
    "events:list": View(GET),
    "events:hosted_list": View(GET),
    "events:hosted_propose": View(FORM),
    "events:hosted_proposed": View(GET),
    "events:hosted_report": View(FORM),
    "events:hosted_photo": View(GET),
    "events:mine": View(GET),
    "events:accept": View(POST),
    "events:cancel": View(FORM),
    "events:my_ics": View(GET),
    "events:organise_hosted": View(GET, staff=True),
    "events:hosted_approve": View(POST, staff=True),
    "events:hosted_decline": View(POST, staff=True),
    "events:report_moderate": View(POST, staff=True),
    "events:organise": View(GET, staff=True),
    "events:counts": View(GET, staff=True),
    "events:export": View(GET, staff=True),
    "events:check_in": View(POST, staff=True),
    "events:message": View(FORM, staff=True),
    "events:check_in_desk": View(GET, staff=True),
    "events:check_in_scan": View(POST, staff=True),
    "events:check_in_code": View(GET, staff=True),
    "events:undo_check_in": View(POST, staff=True),
    "events:hosted_message": View(FORM),
    "events:detail": View(FORM),
    "events:check_mail": View(GET),
    "events:ics": View(GET),
    "events:card": View(GET),
    "events:confirmed": View(GET),
    "events:already_confirmed": View(GET),
    "events:hosted_confirmed": View(GET),
    "events:hosted_already_confirmed": View(GET),
    "submissions:video_form": View(FORM),
    "submissions:videos": View(GET),
    "submissions:video": View(GET),
    "submissions:endorse_form": View(FORM),
    "submissions:endorsements": View(GET),
    "submissions:report_form": View(FORM),
    "submissions:reports": View(GET),
    "submissions:report": View(GET),
    "submissions:change": View(FORM),
    "submissions:confirmed": View(GET),
    "submissions:already_confirmed": View(GET),
    # A mailing's unsubscribe link that does not verify is "invalid" (400).
    "mailings:unsubscribe": View(FORM, unknown=400),
    "dashboard:figures": View(GET, staff=True),
    "dashboard:csv": View(GET, staff=True),
    "dashboard:moderation": View(GET, staff=True),
    "registers:people": View(GET),
    "registers:person": View(GET),
    "registers:person_photo": View(GET),
    "registers:guidance": View(GET),
    "registers:companies": View(GET),
    "registers:company": View(GET),
    "registers:open_data": View(GET),
    "registers:download": View(GET),
    "api:index": View(API_READ),
    "api:openapi": View(API_READ),
    # Any other address under /api/v1/, whatever the method: a JSON 404.
    "api:not_found": View(frozenset({*TRIED, "HEAD", "OPTIONS"})),
    "api:prisoners": View(API_READ),
    "api:prisoner": View(API_READ),
    "api:companies": View(API_READ),
    "api:company": View(API_READ),
    "api:procedures": View(API_READ),
    "api:campaigns": View(API_READ),
    "api:campaign": View(API_READ),
    "api:actions": View(API_READ),
    "api:events": View(API_READ),
    "api:event": View(API_READ),
    "api:endorsements": View(API_READ | POST),
    "api:reports": View(API_READ),
    "api:videos": View(API_READ),
    "submissions_media:video": View(GET),
    "submissions_media:poster": View(GET),
    "submissions_media:captions": View(GET),
    "submissions_media:logo": View(GET),
    "submissions_media:photo": View(GET),
    "web:healthz": View(GET),
    "jobs:readyz": View(GET),
    "web:robots": View(GET),
    "web:favicon": View(GET),
}

# Well-formed values that name nothing, by the name of the URL's argument.
UNKNOWN_ARGUMENTS = {
    "partner": "no-such-partner",
    "version": "0123456789ab",
    "slug": "no-such-thing",
    "kind": "no-such-kind",
    "token": "no-such-token",
    "pk": 999999,
    "letter_id": 999999,
    "action_id": 999999,
    "target_id": 999999,
    "consent_id": 999999,
    "register": "people",
    "fmt": "csv",
    "code": "no-such-code",
    "name": "no-such-figure",
}


def url_names(patterns=None, namespace: str = "") -> list[tuple[str, URLPattern, bool]]:
    """(namespaced name, pattern, under a language prefix) for every view but the admin's."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            translated = type(entry.pattern).__name__ == "LocalePrefixPattern"
            found += [
                (name, pattern, translated or prefixed)
                for name, pattern, prefixed in url_names(entry.url_patterns, inner)
            ]
        else:
            found.append((f"{namespace}{entry.name}", entry, False))
    return found


ALL = url_names()
TRANSLATED = {name for name, _pattern, translated in ALL if translated}


def url(name: str, language: str = "en") -> str:
    pattern = next(p for n, p, _t in ALL if n == name)
    kwargs = {arg: UNKNOWN_ARGUMENTS[arg] for arg in pattern.pattern.regex.groupindex}
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def languages(name: str) -> list[str]:
    return LANGUAGES if name in TRANSLATED else ["en"]


def test_every_view_is_listed():
    assert sorted(name for name, _p, _t in ALL) == sorted(VIEWS)


def test_the_public_pages_answer_in_every_language():
    assert TRANSLATED
    for name in TRANSLATED:
        assert {url(name, code).split("/")[1] for code in LANGUAGES} == set(LANGUAGES)


@pytest.fixture
def superuser(client, db):
    login_verified(client, make_staff("organiser", superuser=True))


WRONG_METHODS = [
    pytest.param(name, method, language, id=f"{name}-{method}-{language}")
    for name, view in VIEWS.items()
    for method in TRIED
    if method not in view.methods
    for language in languages(name)
]


@pytest.mark.parametrize(("name", "method", "language"), WRONG_METHODS)
def test_it_answers_a_method_it_does_not_take_with_405(client, superuser, name, method, language):
    response = client.generic(method, url(name, language))
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == VIEWS[name].methods


WITH_ARGUMENTS = [
    pytest.param(name, language, id=f"{name}-{language}")
    for name, pattern, _t in ALL
    if pattern.pattern.regex.groupindex and name != "registers:download"
    for language in languages(name)
]


@pytest.mark.parametrize(("name", "language"), WITH_ARGUMENTS)
def test_it_answers_an_unknown_slug_id_or_token_with_404(client, superuser, name, language):
    view = VIEWS[name]
    method = "GET" if "GET" in view.methods else "POST"
    response = client.generic(method, url(name, language))
    assert response.status_code == view.unknown


STAFF_ONLY = [name for name, view in VIEWS.items() if view.staff]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_it_sends_an_anonymous_visitor_to_log_in(client, name):
    method = "GET" if "GET" in VIEWS[name].methods else "POST"
    response = client.generic(method, url(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_it_refuses_staff_without_the_permission_with_403(client, name):
    login_verified(client, make_staff("volunteer", superuser=False))
    method = "GET" if "GET" in VIEWS[name].methods else "POST"
    assert client.generic(method, url(name)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_it_refuses_a_logged_in_supporter_who_is_not_staff_with_403_or_log_in(client, name):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("outsider", password="x")
    client.force_login(user)
    method = "GET" if "GET" in VIEWS[name].methods else "POST"
    response = client.generic(method, url(name))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


@pytest.mark.django_db
def test_it_answers_withdrawing_an_unknown_consent_in_an_open_privacy_session_with_404(client):
    from django.utils import timezone

    from picketline.supporters.models import Supporter

    supporter, _ = Supporter.get_or_create_for_email("ana@example.org")
    session = client.session
    session["privacy_supporter"] = supporter.pk
    session["privacy_until"] = timezone.now().timestamp() + 600
    session.save()
    assert client.post(url("supporters:withdraw")).status_code == 404


@pytest.mark.django_db
def test_it_answers_the_privacy_pages_without_a_session_with_403(client):
    for name in ("supporters:mine", "supporters:export"):
        assert client.get(url(name)).status_code == 403
