import pytest

from tests.fixtures.media import use_media_folders


@pytest.fixture
def media_dirs(settings, tmp_path):
    return use_media_folders(settings, tmp_path)
