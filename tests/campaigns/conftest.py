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
