"""The product's WSGI handler reads form posts and resolves URLs exactly as Django's does."""

from __future__ import annotations

import random
import re

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import override_settings
from django.urls import Resolver404, get_resolver
from django.utils import translation

from picketline import wsgi
from picketline.letters.models import Letter
from picketline.web import handler
from picketline.web.handler import Handler, Request, form_data
from tests.letters.helpers import embassy_action, target
from tests.letters.helpers import form_data as letter_form
from tests.web.server import Server, environ

pytestmark = pytest.mark.django_db


def post(body: bytes, **extra: str) -> dict:
    return environ("POST", "/", body, **extra)


def both_posts(body: bytes, **extra: str) -> tuple[QueryDict, QueryDict]:
    """request.POST as the product reads it, and as Django's own request does."""
    ours, django = Request(post(body, **extra)), WSGIRequest(post(body, **extra))
    return ours.POST, django.POST


def assert_same(ours: QueryDict, django: QueryDict) -> None:
    assert type(ours) is QueryDict
    assert list(ours.lists()) == list(django.lists())
    assert ours.encoding == django.encoding
    assert ours._mutable is django._mutable is False


BODIES = [
    b"",
    b"a",
    b"&&",
    b"=x",
    b"a=",
    b"a=1&a=2&b=3",
    b"name=Anna+Schmidt&email=anna%40example.net",
    b"text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%E2%80%94+hello",
    b"broken=%D0%&half=%E2%80",  # incomplete escapes: replaced, as Django does
    b"latin=\xe9t\xe9&b=2",  # not UTF-8 at all: read as ISO-8859-1, as Django does
    b"plus%2Bsign=a%2Bb&space=a+b&semicolon=a;b",
    "raw=Привет".encode(),
]


@pytest.mark.parametrize("body", BODIES)
def test_a_form_post_reads_as_django_reads_it(body):
    assert_same(*both_posts(body))


def test_random_form_posts_read_as_django_reads_them():
    pieces = "a b = & + % %2 %41 %26 %3D %D0%9F %FF Я ;".split() + [""]
    chooser = random.Random(4)
    for _ in range(2000):
        body = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 12)))
        encoding = chooser.choice(["utf-8", "cp1251"])  # the second is not UTF-8
        assert_same(*both_posts(body.encode(encoding)))


def test_the_form_data_is_immutable_and_copies_like_django_s():
    post = form_data(b"a=1&a=2")
    with pytest.raises(AttributeError):
        post["a"] = "3"
    changed = post.copy()
    changed["a"] = "3"
    assert changed.getlist("a") == ["3"]
    assert post.getlist("a") == ["1", "2"]
    assert post.urlencode() == "a=1&a=2"


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
def test_too_many_fields_are_refused_as_by_django():
    body = b"a=1&b=2&c=3&d=4"
    with pytest.raises(TooManyFieldsSent):
        Request(post(body)).POST  # noqa: B018
    with pytest.raises(TooManyFieldsSent):
        WSGIRequest(post(body)).POST  # noqa: B018
    assert_same(*both_posts(b"a=1&b=2&c=3"))
    with pytest.raises(TooManyFieldsSent):
        Request(post(b"a=1&&&")).POST  # noqa: B018 - empty fields count, as in Django
    with pytest.raises(TooManyFieldsSent):
        WSGIRequest(post(b"a=1&&&")).POST  # noqa: B018


@pytest.mark.parametrize(
    "extra",
    [
        {"REQUEST_METHOD": "GET"},
        {"CONTENT_TYPE": "application/json"},
        {"CONTENT_TYPE": "text/plain"},
        {"CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8"},
    ],
)
def test_other_requests_are_django_s_own(extra):
    ours, django = both_posts(b"a=1&b=2", **extra)
    assert list(ours.lists()) == list(django.lists())


def test_a_form_in_another_charset_is_refused_as_by_django():
    from django.core.exceptions import BadRequest

    extra = {"CONTENT_TYPE": "application/x-www-form-urlencoded; charset=latin-1"}
    with pytest.raises(BadRequest):
        Request(post(b"a=1", **extra)).POST  # noqa: B018


def test_a_body_read_first_is_still_parsed_and_a_stream_read_first_is_not():
    request = Request(post(b"a=1"))
    assert request.body == b"a=1"
    assert request.POST["a"] == "1"
    streamed = Request(post(b"a=1"))
    streamed.read()
    assert list(streamed.POST.lists()) == []


def test_a_multipart_post_is_parsed_by_django():
    body = (
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b'--x\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--x--\r\n"
    )
    request = Request(post(body, CONTENT_TYPE="multipart/form-data; boundary=x"))
    assert request.POST["a"] == "1"
    assert request.FILES["f"].read() == b"hello"


# URL resolution


def test_a_path_resolves_per_language():
    resolver = get_resolver()
    with translation.override("de"):
        german = handler.resolve(resolver, "/de/letters/release/")
        with pytest.raises(Resolver404):
            handler.resolve(resolver, "/en/letters/release/")
    with translation.override("en"):
        english = handler.resolve(resolver, "/en/letters/release/")
        with pytest.raises(Resolver404):
            handler.resolve(resolver, "/de/letters/release/")
    assert german.view_name == english.view_name == "letters:action"
    assert german.kwargs == english.kwargs == {"slug": "release"}


def test_each_request_gets_its_own_match():
    resolver = get_resolver()
    with translation.override("en"):
        first = handler.resolve(resolver, "/en/letters/release/")
        first.kwargs["slug"] = "changed by a view"
        second = handler.resolve(resolver, "/en/letters/release/")
        expected = resolver.resolve("/en/letters/release/")
    assert second.kwargs == {"slug": "release"}
    assert first is not second
    assert {k: v for k, v in vars(second).items() if k != "kwargs"} == {
        k: v for k, v in vars(expected).items() if k not in ("kwargs", "tried")
    } | {"tried": expected.tried}


def test_a_changed_url_configuration_is_resolved_afresh():
    with translation.override("en"):
        handler.resolve(get_resolver(), "/en/letters/release/")
        with override_settings(ROOT_URLCONF="tests.web.urls"):
            assert handler.resolve(get_resolver(), "/plain/").url_name is None
            with pytest.raises(Resolver404):
                handler.resolve(get_resolver(), "/en/letters/release/")


def test_a_missing_page_is_never_remembered():
    before = handler._remembered_match.cache_info().currsize
    with translation.override("en"), pytest.raises(Resolver404):
        handler.resolve(get_resolver(), "/en/no-such-page/")
    assert handler._remembered_match.cache_info().currsize == before


# The whole path, as gunicorn calls it


def test_the_product_serves_through_this_handler():
    assert isinstance(wsgi.django_application, Handler)


def test_a_letter_goes_through_the_product_s_handler():
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    server = Server(wsgi.application, keep_cookies=True)
    path = f"/en/letters/{action.slug}/"
    status, _headers, page = server.call("GET", path)
    assert status == "200 OK"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode()).group(1)
    data = {"csrfmiddlewaretoken": token, **letter_form(name="Ольга Петрова")}
    status, headers, _page = server.call(
        "POST", path, data, HTTP_REFERER=f"http://testserver{path}"
    )
    assert status.startswith("302")
    assert headers["Location"].startswith("/en/")
    [letter] = Letter.objects.all()
    assert letter.supporter.name == "Ольга Петрова"
    assert letter.organisation == "ver.di"

    # A form with an error comes back with the supporter's own words in it.
    data = {**data, "email": "not an address", "organisation": "Профсоюз РЭП"}
    status, _headers, page = server.call(
        "POST", path, data, HTTP_REFERER=f"http://testserver{path}"
    )
    assert status == "200 OK"
    assert 'value="Профсоюз РЭП"' in page.decode()
    assert Letter.objects.count() == 1
