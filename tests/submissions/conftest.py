import pytest

from tests.browser.conftest import (  # noqa: F401 - the browser suite's fixtures, shared
    _opened_pages,
    browser,
    demo,
    page_with_js,
    page_without_js,
    recorder,
    screenshot,
)
from tests.fixtures.media import use_media_folders

from .helpers import make_video


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Every test gets its own public and private media folders."""
    return use_media_folders(settings, tmp_path)


@pytest.fixture(scope="session")
def video_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("videos")


@pytest.fixture(scope="session")
def gps_video(video_dir):
    return make_video(video_dir / "with-gps.mov")


@pytest.fixture(scope="session")
def webm_video(video_dir):
    return make_video(video_dir / "clip.webm", container="webm", metadata=False)
