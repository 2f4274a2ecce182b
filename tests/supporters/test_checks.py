from django.core import checks

from picketline.supporters.checks import actions_implement_the_interface
from picketline.supporters.models import Subscription, action_models


def test_every_action_in_the_project_implements_the_interface():
    assert Subscription in action_models()
    assert actions_implement_the_interface() == []


def test_it_names_an_action_that_does_not(monkeypatch):
    from picketline.supporters import models

    class Incomplete:
        _meta = Subscription._meta
        confirmation_subject = Subscription.confirmation_subject
        personal_data = models.ConfirmableAction.personal_data
        erase_personal_data = Subscription.erase_personal_data

    monkeypatch.setattr(models, "action_models", lambda: [Incomplete])
    [error] = actions_implement_the_interface()
    assert isinstance(error, checks.Error)
    assert error.id == "supporters.E001"
    assert "personal_data" in error.msg
