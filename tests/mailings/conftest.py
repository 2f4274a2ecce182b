from tests.browser.conftest import (  # noqa: F401 - the browser suite's fixtures, shared
    _opened_pages,
    browser,
    page_with_js,
    page_without_js,
    recorder,
    screenshot,
)
