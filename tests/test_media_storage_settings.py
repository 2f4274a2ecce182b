"""STORAGES for media, read from the environment (picketline.lib.media_storage)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from picketline.lib.media_storage import LOCAL_DISK, S3, media_storages


def test_media_stay_on_local_disk_by_default(tmp_path):
    found = media_storages(tmp_path / "private", environ={})
    assert found["default"] == {"BACKEND": LOCAL_DISK}
    assert found["private"] == {
        "BACKEND": LOCAL_DISK,
        "OPTIONS": {"location": str(tmp_path / "private")},
    }


def test_two_buckets_with_the_keys_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    found = media_storages(
        tmp_path,
        environ={
            "MEDIA_S3_BUCKET": "media",
            "MEDIA_S3_PRIVATE_BUCKET": "originals",
            "MEDIA_S3_ACCESS_KEY_ID": "id",
            "MEDIA_S3_SECRET_ACCESS_KEY_FILE": str(secret),
        },
    )
    public, private = found["default"], found["private"]
    assert public["BACKEND"] == private["BACKEND"] == S3
    assert public["OPTIONS"]["bucket_name"] == "media"
    assert private["OPTIONS"]["bucket_name"] == "originals"
    for storage in (public, private):
        assert storage["OPTIONS"]["secret_key"] == "s3cret"
        assert storage["OPTIONS"]["default_acl"] == "private"


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"MEDIA_S3_BUCKET": "media"}, "Set both"),
        ({"MEDIA_S3_PRIVATE_BUCKET": "originals"}, "Set both"),
        ({"MEDIA_S3_BUCKET": "one", "MEDIA_S3_PRIVATE_BUCKET": "one"}, "must differ"),
        (
            {
                "MEDIA_S3_BUCKET": "a",
                "MEDIA_S3_PRIVATE_BUCKET": "b",
                "MEDIA_S3_ADDRESSING_STYLE": "x",
            },
            "ADDRESSING_STYLE",
        ),
    ],
)
def test_it_refuses_a_half_or_shared_configuration(tmp_path, environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storages(tmp_path, environ=environ)
