"""The OpenAPI 3.1 document of the API, written by hand and kept true by the test suite (every
response the tests receive is validated against it, and schemathesis explores it)."""

from __future__ import annotations

from typing import Any

from picketline.lib.small_counts import SMALLEST_SHOWN
from picketline.registers.models import CaseEvent, DatePrecision, SanctionsStatus, Status

DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}
# Query and path text: anything but NUL, which PostgreSQL cannot hold (the API answers 400).
PARAM_TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}
COUNTRY_INPUT = (
    "A two-letter ISO 3166 code such as DE; a country's name in English, Russian, Belarusian or "
    "German is taken too. Stored and answered as the code."
)
TEXTS = {"type": "array", "items": TEXT}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        **extra,
    }


def page_of(item: str) -> dict[str, Any]:
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "next_cursor": {"type": ["string", "null"]},
            "next": {"type": ["string", "null"]},
        }
    )


SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": TEXT}),
    "Source": obj(
        {
            "url": {"type": "string", "format": "uri"},
            "title": TEXT,
            "date": {**DATE, "description": "Date of the report; null when not stated."},
        }
    ),
    "Sources": {"type": "array", "items": ref("Source")},
    "CaseEvent": obj(
        {
            "kind": {"enum": list(CaseEvent.Kind.values)},
            "date": DATE,
            "date_precision": {"enum": list(DatePrecision.values)},
            "text": TEXT,
            "articles": TEXTS,
            "disputed": {"type": "boolean"},
            "disputed_note": TEXT,
            "sources": ref("Sources"),
        }
    ),
    "Status": obj(
        {
            "value": {"enum": list(Status.values)},
            "reported_on": {
                **DATE,
                "description": "Date of the last report; the status may have changed since.",
            },
            "date_precision": {"enum": list(DatePrecision.values)},
            "as_reported": TEXT,
            "sources": ref("Sources"),
        }
    ),
}
PERSON_PROPERTIES: dict[str, Any] = {
    "slug": TEXT,
    "ref": TEXT,
    "name": TEXT,
    "name_belarusian": TEXT,
    "name_russian": TEXT,
    "other_spellings": TEXTS,
    "union": TEXT,
    "role": TEXT,
    "city": TEXT,
    "status": ref("Status"),
    "detained_on": DATE,
    "detained_precision": {"enum": list(DatePrecision.values)},
    "released_on": DATE,
    "days_in_custody": {
        "type": ["integer", "null"],
        "minimum": 0,
        "description": "From detention to release; for someone last reported held, to today.",
    },
    "disputed": TEXTS,
    "sources": ref("Sources"),
    "page": TEXT,
    "updated_at": DATETIME,
}
SCHEMAS["Prisoner"] = obj(PERSON_PROPERTIES)
SCHEMAS["PrisonerDetail"] = obj(
    {**PERSON_PROPERTIES, "events": {"type": "array", "items": ref("CaseEvent")}}
)
SCHEMAS["PrisonerPage"] = obj(
    {
        **page_of("Prisoner")["properties"],
        "in_custody": {
            "type": "integer",
            "minimum": 0,
            "description": "People whose last reported status is: in custody (not only this page).",
        },
    }
)
COMPANY_PROPERTIES: dict[str, Any] = {
    "slug": TEXT,
    "ref": TEXT,
    "name": TEXT,
    "name_cyrillic": TEXT,
    "other_names": TEXTS,
    "sector": TEXT,
    "ownership": TEXT,
    "city": TEXT,
    "sanctions": obj({"status": {"enum": list(SanctionsStatus.values)}, "as_reported": TEXT}),
    "sources": ref("Sources"),
    "page": TEXT,
    "updated_at": DATETIME,
}
SCHEMAS["Company"] = obj(COMPANY_PROPERTIES)
SCHEMAS["CompanyDetail"] = obj(
    {
        **COMPANY_PROPERTIES,
        "concerns": {
            "type": "array",
            "items": obj(
                {
                    "text": TEXT,
                    "reported_on": DATE,
                    "disputed": {"type": "boolean"},
                    "sources": ref("Sources"),
                }
            ),
        },
        "partners": {
            "type": "array",
            "items": obj(
                {"name": TEXT, "country": TEXT, "relationship": TEXT, "sources": ref("Sources")}
            ),
        },
    }
)
SCHEMAS["CompanyPage"] = page_of("Company")
SCHEMAS["Procedure"] = obj(
    {
        "key": TEXT,
        "title": TEXT,
        "body": TEXT,
        "date": DATE,
        "date_disputed": {"type": "boolean"},
        "date_note": TEXT,
        "summary": TEXT,
        "facts": TEXTS,
        "sources": ref("Sources"),
    }
)
SCHEMAS["ProcedurePage"] = page_of("Procedure")
SCHEMAS["Index"] = obj({"openapi": TEXT, "endpoints": TEXTS})

CURSOR = {
    "name": "cursor",
    "in": "query",
    "required": False,
    "description": "The `next_cursor` of the previous page (treat it as opaque).",
    "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"},
}
LIMIT = {
    "name": "limit",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
}
QUERY = {
    "name": "q",
    "in": "query",
    "required": False,
    "description": "Words of a name in any spelling: Latin or Cyrillic, any transliteration.",
    "schema": {**PARAM_TEXT, "maxLength": 200},
}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {**PARAM_TEXT, "minLength": 1}}

ETAG_HEADER = {
    "ETag": {"description": "Send it back as If-None-Match.", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
}
# A database or Redis away for a while (picketline.web.unavailable).
UNAVAILABLE = {
    "description": "The site cannot answer for a while; try again after Retry-After seconds.",
    "headers": {
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}},
    },
    "content": {"application/json": {"schema": ref("Error")}},
}
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of organiser-written text (titles, summaries); facts stay as given.",
    "schema": {"enum": ["en", "ru", "be", "de"], "default": "en"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def read(
    summary: str,
    schema: str,
    parameters: list[dict[str, Any]] | None = None,
    not_found: bool = False,
    tag: str = "registers",
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "OK", "headers": ETAG_HEADER, "content": json_content(ref(schema))},
        "304": {"description": "Not modified: the If-None-Match ETag is current."},
        "400": {"description": "A parameter is invalid.", "content": json_content(ref("Error"))},
    }
    if not_found:
        responses["404"] = {"description": "Not found.", "content": json_content(ref("Error"))}
    responses["503"] = UNAVAILABLE
    return {
        "get": {
            "summary": summary,
            "tags": [tag],
            "parameters": [*(parameters or []), LANG, IF_NONE_MATCH],
            "responses": responses,
        }
    }


PATHS: dict[str, Any] = {
    "/api/v1/": read("What the API offers", "Index", tag="api"),
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "tags": ["api"],
            "parameters": [IF_NONE_MATCH],
            "responses": {
                "200": {
                    "description": "OpenAPI 3.1",
                    "headers": ETAG_HEADER,
                    "content": json_content({"type": "object"}),
                },
                "304": {"description": "Not modified."},
            },
        }
    },
    "/api/v1/prisoners": read(
        "Jailed trade unionists: the register, each status as last reported with its date",
        "PrisonerPage",
        [
            QUERY,
            {"name": "status", "in": "query", "schema": {"enum": list(Status.values)}},
            {"name": "union", "in": "query", "schema": PARAM_TEXT},
            {
                "name": "city",
                "in": "query",
                "description": "The town's English name (e.g. Hrodna), whatever the language.",
                "schema": PARAM_TEXT,
            },
            CURSOR,
            LIMIT,
        ],
    ),
    "/api/v1/prisoners/{slug}": read(
        "One person with the dated, sourced case history",
        "PrisonerDetail",
        [SLUG],
        not_found=True,
    ),
    "/api/v1/companies": read(
        "Belarusian companies for due diligence",
        "CompanyPage",
        [
            QUERY,
            {"name": "sanctions", "in": "query", "schema": {"enum": list(SanctionsStatus.values)}},
            CURSOR,
            LIMIT,
        ],
    ),
    "/api/v1/companies/{slug}": read(
        "One company with labour-rights concerns and known partners",
        "CompanyDetail",
        [SLUG],
        not_found=True,
    ),
    "/api/v1/procedures": read(
        "International procedures on Belarus (ILO)", "ProcedurePage", [CURSOR, LIMIT]
    ),
}


def document(server_url: str = "") -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Picketline open API",
            "version": "1.0.0",
            "description": (
                "Read-only public data of the campaign. No personal data of supporters is "
                "available here. Lists are paginated with cursors; responses carry an ETag; "
                "any origin may read (CORS). Register data: CC BY 4.0, every fact with its "
                "sources; statuses are as last reported, with the date of that report."
            ),
            "license": {"name": "CC BY 4.0 (register data)", "identifier": "CC-BY-4.0"},
        },
        "paths": {**PATHS, **CONTENT_PATHS},
        "components": {"schemas": {**SCHEMAS, **CONTENT_SCHEMAS}},
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc


# --- the campaign, its actions, events and approved submissions ---------------------------------
def _content_schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    from picketline.api.writes import MAX_BODY
    from picketline.campaigns.models import CampaignStatus, SupporterAction
    from picketline.events.models import Event
    from picketline.partners.models import SHARE_CHANNELS
    from picketline.submissions.models import ActionReport, Endorsement

    nullable_text = {"type": ["string", "null"]}
    count = {"type": ["integer", "null"], "minimum": 0}
    campaign = {
        "slug": TEXT,
        "title": TEXT,
        "slogan": TEXT,
        "summary": TEXT,
        "starts_on": {"type": "string", "format": "date"},
        "ends_on": {"type": "string", "format": "date"},
        "time_zone": TEXT,
        "status": {"enum": list(CampaignStatus.values)},
        "day_of_action": obj({"date": DATE, "title": TEXT}),
        "demands": TEXTS,
        "hashtags": TEXTS,
        "page": TEXT,
    }
    schemas: dict[str, Any] = {
        "Campaign": obj(campaign),
        "CampaignDetail": obj({**campaign, "actions": {"type": "array", "items": ref("Action")}}),
        "CampaignPage": page_of("Campaign"),
        "Action": obj(
            {
                "id": {"type": "integer"},
                "campaign": TEXT,
                "slug": TEXT,
                "kind": {"enum": list(SupporterAction.Kind.values)},
                "title": TEXT,
                "summary": TEXT,
                "call_to_action": TEXT,
                "destination": TEXT,
                "confirmed_count": {
                    **count,
                    "description": "Supporters who confirmed this action by e-mail; null when "
                    "the action is not one supporters confirm. For events, as "
                    "`confirmed_registrations`.",
                },
            }
        ),
        "ActionPage": page_of("Action"),
        "Event": obj(
            {
                "slug": TEXT,
                "kind": {"enum": list(Event.Kind.values)},
                "title": TEXT,
                "description": TEXT,
                "starts_at": DATETIME,
                "ends_at": DATETIME,
                "time_zone": TEXT,
                "languages": TEXTS,
                "interpretation": TEXT,
                "venue": TEXT,
                "address": TEXT,
                "country": TEXT,
                "latitude": {"type": ["number", "null"]},
                "longitude": {"type": ["number", "null"]},
                "capacity": count,
                "registration_required": {"type": "boolean"},
                "confirmed_registrations": {
                    **count,
                    "description": "People holding a place (not those waiting, nor those who "
                    f"cancelled); null when fewer than {SMALLEST_SHOWN}, a number so small "
                    "that it could tell who registered.",
                },
                "broadcast_url": TEXT,
                "recording_url": TEXT,
                "page": TEXT,
            }
        ),
        "EventPage": page_of("Event"),
        "Endorsement": obj(
            {
                "id": {"type": "integer"},
                "type": {"const": "endorsement"},
                "organisation": TEXT,
                "country": TEXT,
                "kind": {"enum": list(Endorsement.Kind.values)},
                "members": count,
                "website": TEXT,
                "statement": TEXT,
                "logo": nullable_text,
            }
        ),
        "EndorsementPage": page_of("Endorsement"),
        "Report": obj(
            {
                "id": {"type": "integer"},
                "type": {"const": "report"},
                "kind": {"enum": list(ActionReport.Kind.values)},
                "country": TEXT,
                "date": {"type": "string", "format": "date"},
                "title": TEXT,
                "text": TEXT,
                "on_behalf_of": TEXT,
                "company": {**nullable_text, "description": "Slug in the company register."},
                "company_name": TEXT,
                "business_partner": TEXT,
                "outcome": TEXT,
                "photos": TEXTS,
                "page": TEXT,
            }
        ),
        "ReportPage": page_of("Report"),
        "Video": obj(
            {
                "id": {"type": "integer"},
                "type": {"const": "video"},
                "text": TEXT,
                "hashtags": TEXT,
                "link": TEXT,
                "video": nullable_text,
                "poster": nullable_text,
                "duration": {"type": ["number", "null"]},
                "page": TEXT,
            }
        ),
        "VideoPage": page_of("Video"),
    }
    campaign_param = {"name": "campaign", "in": "query", "schema": PARAM_TEXT}
    paths: dict[str, Any] = {
        "/api/v1/campaigns": read("Campaigns", "CampaignPage", [CURSOR, LIMIT], tag="campaigns"),
        "/api/v1/campaigns/{slug}": read(
            "One campaign with its actions", "CampaignDetail", [SLUG], True, "campaigns"
        ),
        "/api/v1/actions": read(
            "What supporters can do, with the number who confirmed",
            "ActionPage",
            [campaign_param, CURSOR, LIMIT],
            tag="campaigns",
        ),
        "/api/v1/events": read(
            "Published events, but none supporters hold in a country marked as dangerous "
            "for supporters (join links are never included)",
            "EventPage",
            [
                {"name": "kind", "in": "query", "schema": {"enum": list(Event.Kind.values)}},
                campaign_param,
                CURSOR,
                LIMIT,
            ],
            tag="events",
        ),
        "/api/v1/events/{slug}": read(
            "One event the list shows (any other slug is not found)",
            "Event",
            [SLUG],
            True,
            "events",
        ),
        "/api/v1/endorsements": read(
            "Approved endorsements", "EndorsementPage", [CURSOR, LIMIT], tag="submissions"
        ),
        "/api/v1/reports": read(
            "Approved action reports",
            "ReportPage",
            [
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"enum": list(ActionReport.Kind.values)},
                },
                {"name": "company", "in": "query", "schema": PARAM_TEXT},
                CURSOR,
                LIMIT,
            ],
            tag="submissions",
        ),
        "/api/v1/videos": read(
            "Approved video messages (no names)", "VideoPage", [CURSOR, LIMIT], tag="submissions"
        ),
    }
    schemas["EndorsementSubmission"] = {
        "type": "object",
        "properties": {
            "name": {**PARAM_TEXT, "minLength": 1, "maxLength": 200},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "country": {**PARAM_TEXT, "maxLength": 100, "description": COUNTRY_INPUT},
            "language": {"enum": ["en", "ru", "be", "de"]},
            "organisation": {**PARAM_TEXT, "minLength": 1, "maxLength": 200},
            "org_country": {
                **PARAM_TEXT,
                "minLength": 1,
                "maxLength": 100,
                "description": COUNTRY_INPUT,
            },
            "kind": {"enum": list(Endorsement.Kind.values)},
            "members": {"type": "integer", "minimum": 1, "maximum": 500_000_000},
            "org_website": {"type": "string", "format": "uri", "maxLength": 300},
            "statement": {**PARAM_TEXT, "maxLength": 2000},
            "contact_role": {**PARAM_TEXT, "maxLength": 200},
            # Any string is taken (what is outside the vocabulary is dropped, not refused).
            "partner": {
                "type": "string",
                "description": (
                    "The slug of the partner whose site sends this, as in its links' "
                    "`?via=`. Recorded when it names an active partner; otherwise dropped "
                    "and the endorsement is still taken."
                ),
            },
            "source": {
                "type": "string",
                "description": (
                    "Where the supporter came from: `link` or `link:<code>` (a partner's "
                    "link; code of lower-case letters, digits and hyphens, at most 24, and "
                    "only with `partner`) or `share:<channel>` ("
                    + ", ".join(SHARE_CHANNELS)
                    + "). `link` is assumed when only `partner` is given. Any other value, "
                    "`embed` included, is dropped and the endorsement is still taken."
                ),
            },
        },
        "required": ["name", "email", "organisation", "org_country", "kind"],
    }
    schemas["Accepted"] = obj({"status": {"const": "confirmation_sent"}, "message": TEXT})
    schemas["FormErrors"] = obj(
        {
            "error": TEXT,
            "fields": {"type": "object", "additionalProperties": TEXTS},
        }
    )
    paths["/api/v1/endorsements"]["post"] = {
        "summary": "Send in an endorsement for an organisation (a partner's site may do this)",
        "description": (
            "The same validation, rate limit and double opt-in as the web form: the contact "
            "person gets an e-mail and nothing is counted or shown until they confirm and a "
            "moderator approves. Optional consents are not accepted through the API. No logo. "
            "A country the organisers marked as dangerous for supporters is refused (400) and "
            "nothing is stored: such a supporter is warned on the site's own pages only. "
            "The body must be JSON; the answer carries no CORS headers, so only a partner's "
            "server, not a script on another site, can send in an endorsement. "
            "A partner names itself in `partner` and, optionally, where the supporter came "
            "from in `source`, as its links do; both are recorded the way the web forms "
            "record them and dropped when outside the vocabulary."
        ),
        "tags": ["submissions"],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ref("EndorsementSubmission")},
            },
        },
        "responses": {
            "202": {
                "description": "Confirmation e-mail sent.",
                "content": json_content(ref("Accepted")),
            },
            "400": {
                "description": "Invalid fields.",
                "content": json_content({"anyOf": [ref("FormErrors"), ref("Error")]}),
            },
            "413": {
                "description": f"The body is longer than {MAX_BODY} bytes.",
                "content": json_content(ref("Error")),
            },
            "415": {
                "description": "The body is not JSON.",
                "content": json_content(ref("Error")),
            },
            "429": {"description": "Rate limited.", "content": json_content(ref("Error"))},
            "503": UNAVAILABLE,
        },
    }
    return paths, schemas


CONTENT_PATHS, CONTENT_SCHEMAS = _content_schemas()
