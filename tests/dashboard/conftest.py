from tests.browser.conftest import (  # noqa: F401 - the browser suite's fixtures, shared
    _opened_pages,
    browser,
    demo,
    page_with_js,
    page_without_js,
    recorder,
    screenshot,
)
from tests.browser.test_accessibility import axe_source  # noqa: F401 - a fixture
