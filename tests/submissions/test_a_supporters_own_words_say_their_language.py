"""What a supporter wrote (a video message's words, an action report, a host's report) is shown
as they wrote it, in their language, on pages in every language. It says which language it is
in (``lang``), as an endorsement's statement does: a screen reader then reads English words
with an English voice on a Russian page, and the check that no page shows English
(``tests/test_every_page_speaks_the_readers_language.py``) tells a supporter's own words from
a sentence we forgot to translate."""

from __future__ import annotations

import pytest
from django.test import Client

from picketline.events.models import HostedReport
from picketline.registers.models import Company
from picketline.submissions.models import Decision
from tests.events.helpers import hosted_action
from tests.submissions.helpers import make_moderator, make_report, make_video_message

pytestmark = pytest.mark.django_db


def publish(item):
    item.confirm()
    item.decide(make_moderator(), Decision.Action.APPROVE)


def test_a_video_messages_words_say_their_language_on_the_list_and_its_page(client: Client):
    video = make_video_message(text="Solidarity from Leipzig", language="en")
    publish(video)
    expected = '<p class="video-card__text" lang="en">Solidarity from Leipzig</p>'
    assert expected in client.get("/ru/submit/videos/").content.decode()
    assert expected in client.get(f"/be/submit/videos/{video.pk}/").content.decode()


def test_an_action_reports_title_text_and_outcome_say_their_language(client: Client):
    report = make_report(
        title="Mahnwache vor der Botschaft",
        text="Wir standen eine Stunde im Regen.",
        outcome="Die Botschaft nahm den Brief an.",
        language="de",
    )
    publish(report)
    page = client.get(f"/ru/submit/reports/{report.pk}/").content.decode()
    assert '<h1 class="report__title" lang="de">Mahnwache vor der Botschaft</h1>' in page
    assert '<div lang="de"><p>Wir standen eine Stunde im Regen.</p></div>' in page
    assert '<div lang="de"><p>Die Botschaft nahm den Brief an.</p></div>' in page
    wall = client.get("/be/submit/reports/").content.decode()
    assert f'<h3 class="report__title" lang="de"><a href="/be/submit/reports/{report.pk}/">' in wall
    assert '<p lang="de">Wir standen eine Stunde im Regen.</p>' in wall


def test_a_report_named_on_a_companys_page_says_its_language(client: Client):
    company = Company.objects.create(slug="example-potash", name="Example Potash")
    report = make_report(
        kind="due_diligence",
        company=company,
        title="We met the importer",
        language="en",
    )
    publish(report)
    page = client.get(f"/de/register/companies/{company.slug}/").content.decode()
    assert f'<a href="/de/submit/reports/{report.pk}/" lang="en">We met the importer</a>' in page


def test_a_hosts_report_says_the_language_the_host_wrote_in(client: Client):
    held = hosted_action(language="be", title="Пікет каля амбасады")
    held.confirm()
    held.approve()
    HostedReport.objects.create(
        hosted_action=held,
        participants=12,
        text="Мы стаялі гадзіну.",
        status=HostedReport.Status.APPROVED,
    )
    page = client.get("/de/events/hosted/").content.decode()
    assert '<h3 lang="be">Пікет каля амбасады</h3>' in page
    assert '<div lang="be"><p>Мы стаялі гадзіну.</p></div>' in page
