"""What a killed process leaves in this machine's upload folder (an upload cut off by gunicorn's
SIGKILL, a worker's copy of an original after the OOM killer) is deleted on this machine, also
when the originals live in a bucket and the storage sweep (``web.orphans``) never sees the
folder: by every worker process hourly, by ``picketline serve`` at start and by
``picketline sweep_scratch``. Nothing young, and nothing outside the folder, is touched."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from picketline import cli
from picketline.jobs import schedule, worker
from picketline.mail import outbox
from picketline.web import orphans
from picketline.web.uploads import LEFTOVER_AGE, delete_leftovers, upload_dir
from tests.fixtures.media import use_media_folders

pytestmark = pytest.mark.django_db

OLD = LEFTOVER_AGE.total_seconds() + 600


def written_ago(seconds: float, *paths: Path) -> None:
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then), follow_symlinks=False)


def a_file(path: Path, seconds_ago: float, content: bytes = b"a face and a voice") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    written_ago(seconds_ago, path)
    return path


@pytest.fixture
def originals_in_a_bucket(settings, tmp_path):
    """The private storage elsewhere (it stands for MEDIA_S3_PRIVATE_BUCKET): the upload
    folder is only on this machine's disk."""
    use_media_folders(settings, tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


class Leftovers:
    """An upload a killed request left, a killed try's scratch folder, and a live one."""

    def __init__(self) -> None:
        folder = upload_dir()
        self.upload = a_file(folder / "tmpcutoff.upload", OLD)
        self.work = folder / "work-killed"
        self.copy = a_file(self.work / "original.mp4", OLD)
        self.part = a_file(self.work / "video.mp4.part.mp4", OLD)
        written_ago(OLD, self.work)
        self.young_upload = a_file(folder / "tmpstreaming.upload", 60)
        self.live = folder / "work-live"
        self.live_copy = a_file(self.live / "original.mp4", 3600)

    def old_ones_gone(self) -> bool:
        return not any(p.exists() for p in (self.upload, self.copy, self.part, self.work))

    def young_ones_kept(self) -> bool:
        return self.young_upload.exists() and self.live_copy.exists()


@pytest.fixture
def leftovers(originals_in_a_bucket) -> Leftovers:
    return Leftovers()


@pytest.fixture
def quiet_rounds(monkeypatch):
    """Dispatcher rounds with nothing to send and no job due, on a clock the test moves."""
    clock = [1000.0]
    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: [])
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock[0])
    return clock


def test_a_worker_deletes_them_at_its_first_round(leftovers, quiet_rounds):
    worker.Dispatcher(worker_id="this-machine-1").run_once()
    assert leftovers.old_ones_gone()
    assert leftovers.young_ones_kept()


def test_a_worker_sweeps_again_every_hour_whatever_the_cluster_s_jobs(
    originals_in_a_bucket, quiet_rounds
):
    clock = quiet_rounds
    dispatcher = worker.Dispatcher(worker_id="this-machine-1")
    dispatcher.run_once()
    later = a_file(upload_dir() / "tmplater.upload", OLD)
    clock[0] += worker.LEFTOVERS_SECONDS - 1
    dispatcher.run_once()
    assert later.exists()
    clock[0] += 1
    dispatcher.run_once()
    assert not later.exists()


def test_a_drain_leaves_the_folder_to_the_workers_that_run_for_good(leftovers, quiet_rounds):
    worker.Dispatcher(interval=0).run_once()
    assert leftovers.copy.exists()


def test_the_command_deletes_them(leftovers, capsys):
    call_command("sweep_scratch")
    assert leftovers.old_ones_gone()
    assert leftovers.young_ones_kept()
    assert "3 leftover file(s) deleted" in capsys.readouterr().out


def test_the_web_server_deletes_them_before_it_starts(leftovers, monkeypatch):
    started = []
    manage = cli._manage
    monkeypatch.setattr(cli, "_setup_django", lambda: None)
    monkeypatch.setattr(cli, "_compile_messages", lambda: None)
    monkeypatch.setattr(cli, "_manage", lambda *a: None if a[0] == "collectstatic" else manage(*a))

    def execv(path, args):
        started.append(leftovers.old_ones_gone())
        raise SystemExit(0)

    monkeypatch.setattr(cli.os, "execv", execv)
    with pytest.raises(SystemExit):
        cli.cmd_serve(["--workers", "1"])
    assert started == [True]
    assert leftovers.young_ones_kept()


def test_a_folder_with_a_young_file_stays(originals_in_a_bucket):
    work = upload_dir() / "work-slow"
    old, young = a_file(work / "original.mp4", OLD), a_file(work / "video.mp4", 60)
    written_ago(OLD, work)
    assert delete_leftovers() == 1
    assert not old.exists() and young.exists()


def test_nothing_outside_the_folder_is_touched(originals_in_a_bucket, tmp_path):
    beside = a_file(Path(upload_dir()).parent / "originals" / "kept.mp4", OLD)
    elsewhere = a_file(tmp_path / "elsewhere" / "precious.mp4", OLD)
    written_ago(OLD, elsewhere.parent)
    (upload_dir() / "a-link.mp4").symlink_to(elsewhere)
    (upload_dir() / "work-linked").symlink_to(elsewhere.parent, target_is_directory=True)
    written_ago(OLD, upload_dir() / "a-link.mp4", upload_dir() / "work-linked")
    assert delete_leftovers() == 0
    assert beside.exists() and elsewhere.exists() and elsewhere.parent.is_dir()
    # The links themselves are no upload of ours either: left for whoever made them.
    assert (upload_dir() / "a-link.mp4").is_symlink()
    assert (upload_dir() / "work-linked").is_symlink()


@pytest.mark.parametrize("storage_sweep_first", [True, False])
def test_on_local_disk_the_storage_sweep_and_this_one_share_the_folder_peacefully(
    settings, tmp_path, storage_sweep_first
):
    use_media_folders(settings, tmp_path)
    copy = a_file(upload_dir() / "work-killed" / "original.mp4", OLD)
    written_ago(OLD, copy.parent)
    if storage_sweep_first:
        orphans.delete_unreferenced()
        assert delete_leftovers() == 0  # already gone: nothing to do, no error
    else:
        assert delete_leftovers() == 1
        orphans.delete_unreferenced()
    assert not copy.exists()
