import pytest

pytest_plugins = ["tests.fixtures.smtp"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (page cache, rate limits)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
