"""Minimal settings for build steps (compiling message catalogues) that need no database."""

SECRET_KEY = "build-only-not-secret"  # noqa: S105 - never serves a request
USE_I18N = True
INSTALLED_APPS: list[str] = []
