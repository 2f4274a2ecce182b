"""Schemathesis explores the served OpenAPI document against the app (in-process, over WSGI),
with the whole demo loaded, so that every list answers with items of every kind: no request
may end in a 500, and every response must match its documented schema. Every route of the API
is in the document.

Schemathesis' own pytest integration (``from_fixture``) reads a pytest internal that pytest 9
removed, so the operations are driven here with Hypothesis directly: same strategies, same
checks (``call_and_validate``)."""

import io

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from picketline.api import urls
from picketline.api.schema import document
from picketline.registers.models import Person

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def api_schema():
    from picketline.wsgi import application

    call_command("load_demo", original_dates=True, stdout=io.StringIO())
    Person.objects.filter(ref="bp041").update(is_published=False)  # an unpublished one, too
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction on PostgreSQL; Django's own test client unhooks it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(api_schema):
    found = [result.ok() for result in api_schema.get_all_operations()]
    documented = {
        (method.upper(), path)
        for path, item in document()["paths"].items()
        for method in item
        if not path.endswith("openapi.json")
    }
    assert {(op.method.upper(), op.path) for op in found} >= documented  # nothing unexplored
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_document(api_schema, mode):
    for operation in operations(api_schema):
        locations = {parameter.location.value for parameter in operation.iter_parameters()}
        if operation.method.upper() == "POST":
            locations.add("body")
        if mode is GenerationMode.NEGATIVE and not locations & {"query", "body"}:
            continue  # any string is a valid slug or ETag: nothing invalid to send

        # The form behind a write checks more than JSON Schema can say (which addresses and
        # URLs are real, the per-address rate limit), so a schema-valid body may get a
        # documented 400 or 429; every other check still applies.
        excluded = [positive_data_acceptance] if operation.method.upper() == "POST" else []

        @given(case=operation.as_strategy(generation_mode=mode))
        @EXAMPLES
        def check(case):
            case.call_and_validate(excluded_checks=excluded)  # noqa: B023 - run at once

        check()


def test_every_route_of_the_api_is_in_the_document():
    routes = {
        "/api/" + str(pattern.pattern).replace("<str:", "{").replace(">", "}")
        for pattern in urls.urlpatterns
        if pattern.name != "not_found"  # every other address: a JSON 404
    }
    assert routes == set(document()["paths"])
