"""A database or Redis away for a while: the API's clients get the 503 with Retry-After as a
JSON error the document describes (reads with CORS, as every read), never the HTML page."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from picketline.api.apps import PATH_PREFIX
from picketline.submissions.models import Endorsement
from tests.api.openapi import validate
from tests.api.test_writes import fields

pytestmark = pytest.mark.django_db


def refuse(execute, sql, params, many, context):
    raise OperationalError("connection to server at 10.0.0.5, port 5432 failed: timeout expired")


@pytest.fixture
def visitor():
    # As a client sees it: an exception becomes an answer, it is not raised into the test.
    return Client(raise_request_exception=False)


def test_a_read_answers_a_json_503_with_retry_after_and_cors(visitor):
    with connection.execute_wrapper(refuse):
        response = visitor.get("/api/v1/prisoners", headers={"Origin": "https://partner.example"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    validate(response, "/api/v1/prisoners")
    assert json.loads(response.content) == {
        "error": "The site cannot answer right now. Please try again in a minute."
    }
    assert "10.0.0.5" not in response.content.decode()  # nothing of the failure


def test_it_speaks_the_language_asked_for(visitor):
    with connection.execute_wrapper(refuse):
        response = visitor.get("/api/v1/events?lang=ru")
    validate(response, "/api/v1/events")
    assert json.loads(response.content)["error"].startswith("Сайт")


def test_a_write_says_it_may_not_have_arrived_without_cors(visitor):
    with connection.execute_wrapper(refuse):
        response = visitor.post(
            "/api/v1/endorsements", json.dumps(fields()), content_type="application/json"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Access-Control-Allow-Origin" not in response
    validate(response, "/api/v1/endorsements", "post")
    error = json.loads(response.content)["error"]
    assert "please send it again then" in error
    assert "kari" not in error.lower()
    assert not Endorsement.objects.exists()


def test_pages_still_get_the_html_page(visitor):
    with connection.execute_wrapper(refuse):
        response = visitor.get("/en/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Back in a moment" in response.content.decode()


def test_the_prefix_is_where_the_api_is_mounted():
    assert reverse("api:index").startswith(PATH_PREFIX)
