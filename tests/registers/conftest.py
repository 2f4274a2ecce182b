# The shared browser fixtures (see docs/architecture.md, "Browser tests").
from tests.browser.conftest import (  # noqa: F401
    _opened_pages,
    browser,
    demo,
    page_with_js,
    page_without_js,
    recorder,
    screenshot,
)
