"""An upload whose write fails (the disk is full) deletes what it had written at once, rather
than leave it on the disk that has no room until the file object is collected.

The kernel refuses the write for real here: a file-size limit (RLIMIT_FSIZE) on this process
makes it fail the way a full disk does, with EFBIG instead of ENOSPC. ``bench/run-faults``
fills a real filesystem (``disk-full``)."""

import errno
import resource
import signal
from contextlib import contextmanager

import pytest
from django.test import RequestFactory

from picketline.web.uploads import LimitedUploadHandler


@contextmanager
def file_size_limit(size: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.fixture
def handler(settings, tmp_path):
    settings.SUBMISSIONS_PRIVATE_ROOT = tmp_path
    handler = LimitedUploadHandler(RequestFactory().post("/"), max_bytes=10_000_000)
    handler.new_file("video", "clip.mp4", "video/mp4", None)
    assert len(list((tmp_path / "uploads").iterdir())) == 1
    return handler


def test_a_chunk_that_does_not_fit_deletes_the_upload(handler, tmp_path):
    with file_size_limit(4096), pytest.raises(OSError) as failure:
        handler.receive_data_chunk(b"\0" * 65536, 0)
    assert failure.value.errno == errno.EFBIG
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_last_buffered_part_that_does_not_fit_deletes_the_upload(handler, tmp_path):
    with file_size_limit(4096):
        handler.receive_data_chunk(b"\0" * 6000, 0)  # still in the file's buffer
        with pytest.raises(OSError) as failure:
            handler.file_complete(6000)
    assert failure.value.errno == errno.EFBIG
    assert list((tmp_path / "uploads").iterdir()) == []


def test_an_upload_that_fits_stays_until_it_is_moved_into_place(handler, tmp_path):
    handler.receive_data_chunk(b"\0" * 6000, 0)
    upload = handler.file_complete(6000)
    assert upload.size == 6000
    assert len(list((tmp_path / "uploads").iterdir())) == 1
