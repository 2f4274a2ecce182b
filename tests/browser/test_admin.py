"""The organiser's side under the same Content-Security-Policy: log in (password and one-time
code), edit the campaign in Django's admin, and see the public page change at once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.campaigns.models import Campaign

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def test_an_organiser_edits_the_campaign_and_visitors_see_it_at_once(
    demo, recorder, page_with_js, page_without_js, screenshot
):
    campaign = Campaign.objects.current()
    user = get_user_model().objects.create_superuser("organiser", "org@example.org", PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    visitor = page_without_js
    visitor.goto("/en/")
    visitor.goto("/en/")  # now from the page cache
    assert campaign.title_en in visitor.content()

    organiser = page_with_js
    organiser.goto("/admin/login/")
    organiser.fill("input[name=username]", "organiser")
    organiser.fill("input[name=password]", PASSWORD)
    screenshot("admin-login", organiser)
    organiser.locator("form [type=submit]").click()
    organiser.wait_for_url("**/admin/otp/verify/**")
    organiser.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    organiser.locator("form [type=submit]").click()
    organiser.wait_for_url("**/admin/")

    organiser.goto(f"/admin/campaigns/campaign/{campaign.pk}/change/")
    screenshot("admin-campaign-change", organiser)
    organiser.fill("#id_title_en", "Free the jailed trade unionists of Belarus")
    organiser.locator("input[name=_save]").click()
    organiser.wait_for_url("**/admin/campaigns/campaign/")
    assert organiser.locator(".messagelist .success").count() == 1
    screenshot("admin-campaign-saved", organiser)

    visitor.goto("/en/")
    assert "Free the jailed trade unionists of Belarus" in visitor.content()
    screenshot("admin-edit-seen-by-visitor", visitor)
    recorder.assert_clean()
