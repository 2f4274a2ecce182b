"""The dashboard and the moderation queue in a real browser, with JavaScript on and off, under
the site's Content-Security-Policy: the charts are drawn, the period changes, a figure
downloads as CSV, and a decision taken in the queue comes back to it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.submissions.models import Endorsement, Status
from tests.browser.test_accessibility import violations
from tests.submissions.helpers import make_endorsement

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def log_in(page, device) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", "organiser")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_url("**/admin/otp/verify/**")
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.locator("form [type=submit]").click()
    page.wait_for_url("**/admin/")


@pytest.fixture
def organiser(demo):
    user = get_user_model().objects.create_superuser("organiser", "org@example.org", PASSWORD)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_dashboard_draws_its_charts_and_gives_its_figures(
    organiser, recorder, javascript, request, screenshot
):
    page = request.getfixturevalue("page_with_js" if javascript else "page_without_js")
    log_in(page, organiser)
    page.locator("#organiser-pages a", has_text="Dashboard").click()
    page.wait_for_url("**/admin/dashboard/")
    assert page.locator("svg.dashboard-chart").count() >= 6
    assert page.locator("svg.dashboard-chart").first.bounding_box()["width"] > 200
    assert page.locator("section.dashboard-figure table").count() >= 6
    screenshot(f"dashboard-{request.node.callspec.id}", page)
    if javascript:
        assert violations(page, request.getfixturevalue("axe_source")) == []

    page.select_option("#dashboard-days", "365")
    page.locator(".dashboard-period [type=submit]").click()
    page.wait_for_url("**/admin/dashboard/?days=365")
    assert page.locator("#dashboard-days").input_value() == "365"

    with page.expect_download() as download:
        page.locator("#figure-by_country a[download]").click()
    path = download.value.path()
    assert open(path, encoding="utf-8").readline().strip() == "Supporter's country,Confirmed"
    recorder.assert_clean()


def test_the_queue_has_no_serious_accessibility_violation(
    organiser, recorder, page_with_js, request
):
    make_endorsement().confirm()
    log_in(page_with_js, organiser)
    page_with_js.goto("/admin/moderation/")
    assert page_with_js.locator(".moderation-item").count() >= 1
    assert violations(page_with_js, request.getfixturevalue("axe_source")) == []
    recorder.assert_clean()


def test_a_decision_in_the_queue_without_javascript_comes_back_to_it(
    organiser, recorder, page_without_js, screenshot
):
    waiting = make_endorsement(organisation="Dockers of the North Sea")
    waiting.confirm()
    page = page_without_js
    log_in(page, organiser)
    page.locator("#organiser-pages a", has_text="Moderation").click()
    page.wait_for_url("**/admin/moderation/")
    item = page.locator(f"#endorsement-{waiting.pk}")
    screenshot("moderation-queue", page)
    item.locator("input[value=approve]").check()
    item.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/moderation/")
    assert Endorsement.objects.get(pk=waiting.pk).status == Status.APPROVED
    assert page.locator(f"#endorsement-{waiting.pk}").count() == 0
    recorder.assert_clean()
