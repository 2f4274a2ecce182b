"""No anonymous request gives a 500: arbitrary text in every public form field and query
parameter, on PostgreSQL (which refuses NUL in text), is answered below 500.

Hypothesis generates the values, NUL and other control characters included; each form and
each page gets a bounded number of examples so that the whole module runs in about a minute.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from picketline.events.forms import HostedActionForm, RegistrationForm
from picketline.letters.forms import LetterForm
from picketline.submissions.forms import EndorsementForm, ReportForm, VideoForm
from picketline.supporters.forms import EmailForm, SubscribeForm
from tests.events.helpers import online_meeting
from tests.letters.helpers import letter_action

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values people and scripts send: anything printable or not, and the known troublemakers.
TRICKY = [
    "\x00",
    "a\x00b",
    "\r\nBcc: x@example.org",
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9" * 5000,
    "-1",
    "1e309",
    "NaN",
    "=HYPERLINK(1)",
    "../../etc/passwd",
    "\ud7ff\ufffe\uffff",
]
VALUES = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(TRICKY),
)

CONSENTS = ["consent_organiser_updates", "consent_send_in_my_name", "consent_publish_name"]
FORMS = {
    "/en/me/keep-me-informed/": SubscribeForm,
    "/en/me/resend/": EmailForm,
    "/en/letters/release/": LetterForm,
    "/en/events/meeting/": RegistrationForm,
    "/en/events/hosted/propose/": HostedActionForm,
    "/en/submit/video/": VideoForm,
    "/en/submit/endorse/": EndorsementForm,
    "/en/submit/report/": ReportForm,
}
PAGES = [
    "/en/",
    "/en/letters/release/",
    "/en/events/",
    "/en/events/meeting/",
    "/en/events/hosted/",
    "/en/submit/videos/",
    "/en/submit/endorsements/",
    "/en/submit/reports/",
    "/en/register/",
    "/en/register/companies/",
    "/en/register/open-data/people.csv",
    "/en/me/privacy/",
    "/api/v1/prisoners",
    "/api/v1/events",
    "/api/v1/endorsements",
]
PARAMETERS = [
    "campaign",
    "city",
    "company",
    "country",
    "cursor",
    "instance",
    "kind",
    "lang",
    "language",
    "limit",
    "next",
    "player",
    "q",
    "tag",
    "union",
]


@pytest.fixture
def published():
    letter_action("release")
    online_meeting()


def field_names(form_class) -> list[str]:
    return [*form_class.base_fields, "country", *CONSENTS]


@pytest.mark.parametrize("path", list(FORMS))
def test_no_posted_form_gives_a_server_error(published, path):
    names = field_names(FORMS[path])

    @EXAMPLES
    @given(st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names)))
    def post(data):
        response = Client().post(path, data)
        assert response.status_code < 500, (path, data)

    post()


@pytest.mark.parametrize("path", PAGES)
def test_no_query_parameter_gives_a_server_error(published, path):
    @settings(EXAMPLES, max_examples=25)
    @given(st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=4))
    def get(params):
        response = Client().get(path, params)
        assert response.status_code < 500, (path, params)

    get()


@EXAMPLES
@given(st.sampled_from(list(FORMS)), st.sampled_from(["iso-8859-1", "utf-16", "koi8-r", "x"]))
def test_no_charset_gives_a_server_error(path, charset):
    response = Client().generic(
        "POST",
        path,
        b"name=J%E9r%F4me&email=j%40example.org",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code < 500
