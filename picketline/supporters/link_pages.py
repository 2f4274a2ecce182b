"""The pages a confirmation mail's links open ("confirm", "it was not me"), from a stored copy.

Such a page is the same for every supporter of a language but for three things: the link's
token (in the address the form posts to, the language links and ``og:url``), what the action is
(its summary) and the visitor's CSRF token. The first visit renders the page with a placeholder
for the summary and stores it with the token replaced by a placeholder too; the CSRF token is a
hole already (``picketline.web.form_token``). Every later visit fills the stored copy: no
template, no URL reversing. The token has been checked (``flow.resolve_action_token``) before a
page is made, so it is one we signed: URL-safe letters, digits and ``:-_.``, which HTML and URL
escaping leave as they are, and too long to occur on the page by chance.

A copy is keyed by the content version (an organiser's edit, the campaign's name), the
language, the template and whether the action is confirmed (the page then has no form). A visit
with a query string, a session or a flash message gets a page rendered for it alone.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import get_language

from picketline.supporters.models import ConfirmableAction
from picketline.web.cache import CACHE_ALIAS, DEFAULT_MAX_AGE
from picketline.web.content import content_version
from picketline.web.form_token import HOLE, mark_hole

# Letters only, so that escaping leaves them alone; unlike anything a page says.
TOKEN_HOLE = "picketlinelinktokenhole"
SUMMARY_HOLE = "picketlineactionsummaryhole"
# What a token we signed is made of (``django.core.signing``: URL-safe base64, ``:`` between
# its parts, ``.`` before a compressed payload): written as it is in a path and in HTML.
SIGNED_TOKEN = re.compile(r"[A-Za-z0-9_.:-]+")


def link_page(
    request: HttpRequest, template: str, *, token: str, action: ConfirmableAction
) -> HttpResponse:
    """The page ``template`` for the link ``token`` to ``action`` (its summary shown)."""
    summary = str(action.confirmation_subject())
    key = _stored_key(request, template, token, action)
    if key is None:
        return render(request, template, {"action": action, "summary": summary})
    cache = caches[CACHE_ALIAS]
    stored = cache.get(key)
    if stored is None:
        page = render(request, template, {"action": action, "summary": SUMMARY_HOLE})
        body = page.content.decode()
        stored = (body.replace(token, TOKEN_HOLE), HOLE in body)
        cache.set(key, stored, DEFAULT_MAX_AGE)
    body, with_form = stored
    if with_form:
        mark_hole(request)
    return HttpResponse(body.replace(TOKEN_HOLE, token).replace(SUMMARY_HOLE, escape(summary)))


def _stored_key(
    request: HttpRequest, template: str, token: str, action: ConfirmableAction
) -> str | None:
    """The key of the stored copy that fits this visit, or None when none may serve it."""
    if request.META.get("QUERY_STRING") or not SIGNED_TOKEN.fullmatch(token):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    state = "confirmed" if action.is_confirmed else "open"
    return f"link-pages:{content_version()}:{get_language()}:{template}:{state}"
