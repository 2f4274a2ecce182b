"""The Day-of-Action pages that the public crawl cannot reach (behind a token or a permission)
are valid HTML too: the door with a search and an outcome, the page a phone's camera opens, the
registrant's page with the entry code, the host's page before and after the action, the host's
message form with what they sent and the organisers' message in each language."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from picketline.supporters.models import Supporter
from tests.events.helpers import confirmed_registration, street_action
from tests.events.test_check_in import path_of
from tests.events.test_hosted import AFTER_THE_ACTION, hosted
from tests.events.test_organise import logged_in
from tests.web.test_pages_are_valid_html import nu_errors

pytestmark = pytest.mark.django_db


def test_the_new_pages_are_valid_html(tmp_path):
    event = street_action(registration_required=True)
    Supporter.get_or_create_for_email("ales@example.org", name="Aleś Bialiacki")
    ales = confirmed_registration(event, "ales@example.org")
    organiser = logged_in("check_in_registrants", "view_registration", "message_registrants")
    desk = "/en/events/organise/berlin/check-in/"
    action = hosted()
    action.approve()
    action.write_to_those_signed_up("Umbrellas", "Rain is expected.")  # listed on its page
    host = f"/en/events/hosted/report/{action.report_token()}/"
    pages = {
        "desk": organiser.get(desk).content,
        "desk searched": organiser.get(desk, {"q": "ales"}).content,
        "desk scanned": organiser.post(f"{desk}scan/", {"code": ales.check_in_code()}).content,
        "desk refused": organiser.post(f"{desk}scan/", {"code": "nonsense"}).content,
        "camera link": organiser.get(path_of(ales.check_in_url())).content,
        "registrant": Client().get(f"/en/events/r/{ales.token()}/").content,
        "message": organiser.get("/en/events/organise/berlin/message/").content,
        "message sent": organiser.get("/en/events/organise/berlin/message/?sent=3").content,
        "host before": Client().get(host).content,
        "host message": Client().get(f"{host}write/").content,
    }
    with time_machine.travel(AFTER_THE_ACTION):
        pages["host after"] = Client().get(host).content
    assert nu_errors(pages, tmp_path) == []
