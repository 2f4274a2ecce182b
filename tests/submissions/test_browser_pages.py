"""Every submissions page of the demo, in every language, with JavaScript on and off: it shows,
its videos and images load from our origin, and nothing breaks the Content-Security-Policy."""

from __future__ import annotations

import pytest
from django.conf import settings

from picketline.submissions.models import ActionReport, VideoMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_submissions_page_shows_without_asking_another_origin(
    request, demo, recorder, screenshot, javascript
):
    page = request.getfixturevalue("page_with_js" if javascript else "page_without_js")
    mode = "js" if javascript else "no-js"
    video = VideoMessage.objects.public().first()
    report = ActionReport.objects.public().filter(photos__isnull=False).first()
    for language in LANGUAGES:
        paths = {
            "videos": f"/{language}/submit/videos/",
            "video": f"/{language}/submit/videos/{video.pk}/",
            "endorsements": f"/{language}/submit/endorsements/",
            "reports": f"/{language}/submit/reports/",
            "report": f"/{language}/submit/reports/{report.pk}/",
            "video-form": f"/{language}/submit/video/",
            "endorse-form": f"/{language}/submit/endorse/",
            "report-form": f"/{language}/submit/report/",
        }
        for name, path in paths.items():
            recorder.clear()
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").first.inner_text().strip()
            for source in page.locator("img").evaluate_all("(all) => all.map(i => i.src)"):
                # Every picture comes from our origin and is there to be loaded.
                assert not recorder.is_foreign(source), source
                assert page.request.get(source).status == 200, source
            if language == "en" or name in ("videos", "endorsements"):
                screenshot(f"submissions-{language}-{mode}-{name}")
            recorder.assert_clean()
        if javascript:
            page.goto(f"/{language}/submit/videos/{video.pk}/")
            page.evaluate("document.querySelector('video').muted = true")
            page.evaluate("document.querySelector('video').play()")
            page.wait_for_function("document.querySelector('video').readyState >= 2")
            recorder.assert_clean()
