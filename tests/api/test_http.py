import pytest
from django.conf import settings
from django.test import Client

from picketline.api.schema import document
from tests.registers.helpers import make_person

pytestmark = pytest.mark.django_db


def test_it_answers_304_when_the_etag_is_current(api):
    make_person()
    first = api.get("/api/v1/prisoners")
    etag = first["ETag"]
    again = api.get("/api/v1/prisoners", If_None_Match=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert api.get("/api/v1/prisoners", If_None_Match=f'W/{etag}, "other"').status_code == 304


def test_the_etag_changes_when_the_data_does(api):
    person = make_person()
    etag = api.get("/api/v1/prisoners")["ETag"]
    person.city = "Brest"
    person.save()
    response = api.get("/api/v1/prisoners", If_None_Match=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_reads_are_open_to_any_origin_without_credentials(api):
    response = api.get("/api/v1/prisoners", Origin="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies


def test_it_answers_a_cors_preflight(client):
    response = client.options(
        "/api/v1/prisoners",
        headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def api_paths() -> list[str]:
    return [path.replace("{slug}", "no-such-thing") for path in document()["paths"]]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("path", api_paths())
def test_every_endpoint_answers_other_methods_with_a_json_405(method, path):
    # With Django's CSRF check on, as in production: the API must answer, not the CSRF page.
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "error" in response.json()
    assert "GET" in response["Allow"]


def test_a_read_endpoint_answers_post_with_a_json_405():
    response = Client(enforce_csrf_checks=True).post("/api/v1/prisoners")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "POST" not in response["Allow"]


@pytest.mark.parametrize("path", [*api_paths(), "/api/v1/nothing-here", "/api/v1/openapi.json?x"])
def test_the_api_never_sets_a_cookie(path):
    client = Client(enforce_csrf_checks=True)
    answers = [
        client.get(path),
        client.get(path, {"lang": "xx", "cursor": "\x00"}),
        client.head(path),
        client.options(path, headers={"Origin": "https://partner.example"}),
        client.post(path, "{}", content_type="application/json"),
        client.post(path, {"name": "x"}),
        client.put(path),
        client.delete(path),
    ]
    for response in answers:
        assert not response.cookies, (path, response.status_code, response.cookies)
        assert "Set-Cookie" not in response
        assert response.status_code < 500


def test_the_openapi_document_is_served_at_a_stable_url(api):
    doc = api.json("/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/prisoners" in doc["paths"]
    index = api.json("/api/v1/")
    assert "/api/v1/prisoners" in index["endpoints"]


def test_it_refuses_nul_characters_which_postgresql_cannot_store(api):
    assert api.get("/api/v1/prisoners", {"city": "Min\x00sk"}).status_code == 400
    assert api.get("/api/v1/prisoners/a\x00b").status_code == 400


def test_organiser_text_comes_in_the_asked_language(api):
    from picketline.lib.demo_dates import DemoDates
    from picketline.registers import demo

    demo.load(DemoDates.original())
    english = api.get("/api/v1/procedures")
    german = api.get("/api/v1/procedures", {"lang": "de"})
    titles = {p["key"]: p["title"] for p in german.json()["items"]}
    assert (
        titles["ilo-commission-of-inquiry-2004"] == "IAO-Untersuchungskommission zu Belarus (2004)"
    )
    assert english.json() != german.json()
    assert api.get("/api/v1/procedures", {"lang": "xx"}).status_code == 400


@pytest.mark.parametrize("limit", ["9" * 5000, "²", "١٢"])
def test_an_unreadable_number_in_the_query_is_a_400(api, limit):
    assert api.get("/api/v1/prisoners", {"limit": limit}).status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/prisoners/", "/api/v1/prisoners/x/events"]
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_address_the_api_does_not_have_is_a_json_404(path, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(path, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Diesen Endpunkt gibt es nicht; /api/v1/ listet sie auf."}
    assert response["Access-Control-Allow-Origin"] == "*" and not response.cookies


def test_the_answer_names_the_language_asked_for_not_the_browsers(api):
    answers = [
        api.get("/api/v1/procedures", {"lang": "ru"}, **{"Accept-Language": "de"}),
        api.get("/api/v1/prisoners/nobody", {"lang": "ru"}, **{"Accept-Language": "de"}),
        api.get("/api/v1/prisoners", {"lang": "ru", "limit": "0"}, **{"Accept-Language": "de"}),
    ]
    assert [a["Content-Language"] for a in answers] == ["ru", "ru", "ru"]
    assert answers[1].json() == {"error": "Опубликованного человека с таким адресом нет."}
    assert api.get("/api/v1/procedures", **{"Accept-Language": "de"})["Content-Language"] == "en"


def test_too_many_parameters_are_a_json_400(api):
    too_many = {f"p{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = api.get("/api/v1/prisoners", too_many)  # JSON, as documented
    assert response.status_code == 400
    assert response.json() == {"error": "Too many parameters."}
