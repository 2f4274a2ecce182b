"""A test client for the API that validates every response against the served OpenAPI document."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs
from django.test import Client

from picketline.api.schema import document


def operation_for(path: str) -> tuple[str, dict[str, Any]]:
    path = path.split("?", 1)[0]
    doc = document()
    for template, item in doc["paths"].items():
        pattern = (
            "^"
            + re.sub(
                r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
            )
            + "$"
        )
        if re.match(pattern, path):
            return template, item
    raise AssertionError(f"{path} is not in the OpenAPI document")


def validate(response: Any, path: str, method: str = "get") -> None:
    doc = document()
    template, item = operation_for(path)
    assert method in item, f"{method.upper()} {template} is not documented"
    responses = item[method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{status} for {method.upper()} {path} is not documented"
    spec = responses[status]
    if "content" not in spec:
        assert response.content == b"", f"{status} should have no body"
        return
    assert response["Content-Type"].startswith("application/json")
    schema = {**spec["content"]["application/json"]["schema"], "components": doc["components"]}
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    errors = [
        f"{e.instance_path}: {e.message}"
        for e in validator.iter_errors(json.loads(response.content))
    ]
    assert not errors, f"{method.upper()} {path} ({status}) does not match its schema: {errors[:5]}"


class ApiClient:
    """Every GET through here is checked against the document the API serves."""

    def __init__(self) -> None:
        self.client = Client()
        self.seen: list[tuple[str, int]] = []

    def get(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        response = self.client.get(path, data or {}, headers=headers)
        validate(response, path)
        self.seen.append((path, response.status_code))
        return response

    def post(
        self, path: str, data: Any, content_type: str = "application/json", **headers: str
    ) -> Any:
        body = json.dumps(data) if content_type == "application/json" else data
        if content_type == "application/json":
            response = self.client.post(path, body, content_type=content_type, headers=headers)
        else:
            response = self.client.post(path, data, headers=headers)
        validate(response, path, "post")
        return response

    def json(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        response = self.get(path, data, **headers)
        assert response.status_code == 200, response.content
        return json.loads(response.content)
