"""The supporters' own forms sent back with a mistake say so above the form, announced, and
link the field in error, as every public form does (``supporters/_form_top.html``)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/ru/me/keep-me-informed/", {"name": "Ana", "email": "not an address"}),
        ("/ru/me/privacy/", {"email": "not an address"}),
        ("/ru/me/resend/", {"email": "not an address"}),
    ],
)
def test_it_says_so_above_the_form_and_links_the_field(client, path, data):
    page = client.post(path, data).content.decode()

    (summary,) = re.findall(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert "Проверьте отмеченные ниже поля." in summary
    assert 'href="#id_email"' in summary
    assert page.index(summary) < page.index('<form method="post"')
    assert 'id="id_email"' in page
