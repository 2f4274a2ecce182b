"""A person's photo is served by the site itself (the page loads nothing from another website,
also when media live in a bucket), and only while the page may show it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from picketline.web import orphans
from tests.fixtures.media import use_media_folders
from tests.registers.helpers import make_person
from tests.submissions.helpers import png_bytes

pytestmark = pytest.mark.django_db


def test_the_photo_comes_from_the_site_and_only_with_a_basis(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    use_media_folders(settings, tmp_path)
    person = make_person(
        photo_basis="public_source", photo_source="https://news.example/photo-credit"
    )
    person.photo.save("yarashuk.png", ContentFile(png_bytes()), save=True)
    page = client.get(f"/en/register/people/{person.slug}/").content.decode()
    photo_path = f"/en/register/people/{person.slug}/photo"
    assert f'<img src="{photo_path}"' in page and "/media/" not in page
    answer = client.get(photo_path)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert b"".join(answer.streaming_content) == person.photo.open("rb").read()

    person.photo_basis = ""
    with django_capture_on_commit_callbacks(execute=True):  # the cached page goes too
        person.save()
    assert client.get(photo_path).status_code == 404
    assert "person-photo" not in client.get(f"/en/register/people/{person.slug}/").content.decode()


def test_a_replaced_photo_goes_with_the_sweep_of_files_no_row_names(client, settings, tmp_path):
    use_media_folders(settings, tmp_path)
    person = make_person(
        photo_basis="public_source", photo_source="https://news.example/photo-credit"
    )
    person.photo.save("first.png", ContentFile(png_bytes()), save=True)
    first = Path(person.photo.path)
    person.photo.save("second.png", ContentFile(png_bytes()), save=True)
    second = Path(person.photo.path)
    then = time.time() - 3700
    for path in (first, second):
        os.utime(path, (then, then))

    assert orphans.delete_unreferenced() == 1
    assert (first.exists(), second.exists()) == (False, True)
    assert client.get(f"/en/register/people/{person.slug}/photo").status_code == 200
