"""System checks: every action keeps the supporters' interface, so privacy pages and erasure
reach it (``picketline check`` / ``manage.py check``)."""

from __future__ import annotations

from typing import Any

from django.core import checks

REQUIRED = ("confirmation_subject", "personal_data", "erase_personal_data")


@checks.register()
def actions_implement_the_interface(app_configs: Any = None, **kwargs: Any) -> list:
    from picketline.supporters.models import ConfirmableAction, action_models

    problems = []
    for model in action_models():
        for name in REQUIRED:
            if getattr(model, name) is getattr(ConfirmableAction, name):
                problems.append(
                    checks.Error(
                        f"{model._meta.label} does not implement {name}()",
                        hint="Every ConfirmableAction says what it holds and how to erase it.",
                        obj=model,
                        id="supporters.E001",
                    )
                )
    return problems
