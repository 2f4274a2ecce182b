"""The whole demo, as `picketline demo` loads it: every call to action leads somewhere real."""

import pytest
from django.core.management import call_command
from django.test import Client

from picketline.campaigns.models import SupporterAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def test_every_call_to_action_of_the_demo_leads_to_a_working_page(demo):
    client = Client()
    actions = list(SupporterAction.objects.all())
    assert len(actions) == 6
    for action in actions:
        for language in ["en", "ru", "be", "de"]:
            response = client.get(f"/{language}/{action.destination}")
            assert response.status_code == 200, (language, action.slug, action.destination)


def test_the_home_page_links_every_action_in_every_language(demo):
    client = Client()
    for language in ["en", "ru", "be", "de"]:
        html = client.get(f"/{language}/").content.decode()
        for action in SupporterAction.objects.all():
            assert f'href="/{language}/actions/{action.slug}/"' in html or (
                f'href="/{language}/{action.destination}"' in html
            ), (language, action.slug)
