import pytest
from django.utils import translation

# The shared browser harness's fixtures, for this package's browser tests (test_browser.py).
from tests.browser.conftest import (  # noqa: F401
    _opened_pages,
    browser,
    demo,
    page_with_js,
    page_without_js,
    recorder,
    screenshot,
)


@pytest.fixture(autouse=True)
def _leave_no_language_active():
    """A request to /be/… leaves Belarusian active in this thread; later tests elsewhere must
    not start in it."""
    yield
    translation.deactivate()
