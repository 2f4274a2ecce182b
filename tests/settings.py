"""Settings for the test suite: production settings, with fixed test keys and fast hashing."""

import os
import tempfile

os.environ.setdefault("PICKETLINE_DEMO", "0")
os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 40)
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_URL", "memory:")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("PICKETLINE_DATA_DIR", tempfile.mkdtemp(prefix="picketline-test-"))
os.environ.setdefault(
    "PICKETLINE_ENCRYPTION_KEYS", "k1:VGVzdEtleU9uZVRlc3RLZXlPbmVUZXN0S2V5T25lISE="
)
os.environ.setdefault("PICKETLINE_INDEX_KEY", "SW5kZXhLZXlGb3JUZXN0c0luZGV4S2V5Rm9yVGVzdHM=")

from picketline.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
