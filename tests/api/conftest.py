import pytest

from tests.api.openapi import ApiClient


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()
