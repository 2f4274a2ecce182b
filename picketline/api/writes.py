"""Write endpoints: a partner's site sends in an action on a supporter's behalf.

They go through exactly what the web forms use: the same form validation, the honeypot, the same
rate limits (``supporters.abuse.rate_limited``), and the same way to store the action
(``supporters.flow.take_new_action``) with its double opt-in: nothing counts or shows until the
supporter clicks the link in the e-mail. Where the action came from is recorded as the forms
record it (``supporters.attribution``): an optional ``partner`` slug and ``source``, checked with
``checked_attribution`` and dropped, silently, when outside the vocabulary. Optional consents (newsletters) are not accepted here,
because we cannot know which wording the partner's page showed; the supporter can give them on
our own pages.

A write is a partner's server talking to ours, never a visitor's browser on another site: the
body must be JSON (a cross-site form cannot send that without a CORS preflight, and the preflight
offers reads only), and a write's answer carries no CORS header, so another site's script cannot
read it either. Otherwise any page could make its visitors' browsers send our confirmation mail
to addresses of its choosing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from picketline.api.http import json_response
from picketline.submissions.forms import EndorsementForm
from picketline.submissions.models import Endorsement
from picketline.supporters.abuse import rate_limited
from picketline.supporters.attribution import checked_attribution
from picketline.supporters.flow import take_new_action
from picketline.supporters.safety import ACKNOWLEDGED

MAX_BODY = 20_000


def well_typed(name: str, value: Any) -> bool:
    """JSON fields are strings, except ``members``, a whole number."""
    if name == "members":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def write_error(status: int, message: str) -> HttpResponse:
    return json_response({"error": message}, status=status)


def too_large(request: HttpRequest) -> bool:
    try:
        return len(request.body) > MAX_BODY
    except RequestDataTooBig:  # past Django's own limit: read no further
        return True


def request_data(request: HttpRequest) -> dict[str, Any] | None:
    """The submitted fields of a JSON body (read after ``too_large``); None when unreadable."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        # Not JSON, not UTF-8, a number past Python's digit limit, or nesting past the stack.
        return None
    if not isinstance(data, dict):
        return None
    if not all(well_typed(k, v) for k, v in data.items()):
        return None
    return data


def accepted() -> HttpResponse:
    message = _("We sent a link to the e-mail address; the action counts once it is confirmed.")
    return json_response({"status": "confirmation_sent", "message": message}, status=202)


def submit_endorsement(request: HttpRequest) -> HttpResponse:
    if request.content_type != "application/json":
        return write_error(415, _("Send the fields as JSON (Content-Type: application/json)."))
    if too_large(request):
        return write_error(413, _("The body is longer than %(max)d bytes.") % {"max": MAX_BODY})
    data = request_data(request)
    if data is None:
        return write_error(400, _("The body is not a JSON object of the documented fields."))
    attribution = checked_attribution(data.pop("partner", ""), data.pop("source", ""))
    # Nobody reads our warning through a partner's site: it cannot be acknowledged here.
    fields = {
        k: v for k, v in data.items() if not str(k).startswith("consent_") and k != ACKNOWLEDGED
    }
    form = EndorsementForm(data=fields, upload_refused=False)
    if form.is_honeypot_filled():
        return accepted()  # a bot: answer as if accepted, do nothing
    if not form.is_valid():
        if getattr(form, "danger_found", None):
            error = _(
                "A country given is marked as dangerous for supporters of this campaign, so "
                "nothing was stored. Such a supporter is warned on our own pages, never here."
            )
        else:
            error = _("Some fields are missing or invalid.")
        return json_response(
            {
                "error": error,
                "fields": {name: [str(m) for m in errors] for name, errors in form.errors.items()},
            },
            status=400,
        )
    cleaned = form.cleaned_data
    if rate_limited(request, "submissions", email=cleaned["email"]):
        return write_error(429, _("Too many submissions from here; please try again later."))
    endorsement = Endorsement(
        language=form.chosen_language(),
        organisation=cleaned["organisation"],
        country=cleaned["org_country"],
        kind=cleaned["kind"],
        members=cleaned["members"],
        website=cleaned["org_website"],
        statement=cleaned["statement"],
        contact_role=cleaned["contact_role"],
    )
    # No box can be ticked here (the form never sees a consent field), so none is recorded.
    take_new_action(form, endorsement, request, attribution=attribution)
    return accepted()
