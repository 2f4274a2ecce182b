import pytest


@pytest.fixture(autouse=True)
def _forget_remembered_actions():
    """Each test's database starts afresh; so must the views' short memory of actions."""
    from picketline.letters import views

    views._ACTIONS.clear()
    yield
    views._ACTIONS.clear()
