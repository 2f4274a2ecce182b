"""Settings read through the quicker proxy behave exactly as Django's."""

import pytest
from django.conf import LazySettings, Settings, settings
from django.test import override_settings

from picketline.web import settings_access


def test_the_settings_object_reads_settings_without_django_s_proxy_method():
    assert type(settings) is settings_access.QuickSettings
    assert isinstance(settings, LazySettings)
    assert settings.__class__ is Settings  # the proxy still names what is behind it
    assert isinstance(settings, Settings)


def test_a_setting_reads_the_same_and_follows_overrides():
    assert settings.LANGUAGE_CODE == settings._wrapped.LANGUAGE_CODE
    with override_settings(LANGUAGE_CODE="de"):
        assert settings.LANGUAGE_CODE == "de"
        with override_settings(LANGUAGE_CODE="ru"):
            assert settings.LANGUAGE_CODE == "ru"
        assert settings.LANGUAGE_CODE == "de"
    assert settings.LANGUAGE_CODE == settings._wrapped.LANGUAGE_CODE


def test_setting_and_deleting_work_as_in_django():
    settings.PICKETLINE_TEST_ONLY = 1
    try:
        assert settings.PICKETLINE_TEST_ONLY == 1
        settings.PICKETLINE_TEST_ONLY = 2
        assert settings.PICKETLINE_TEST_ONLY == 2
    finally:
        del settings.PICKETLINE_TEST_ONLY
    with pytest.raises(AttributeError):
        settings.PICKETLINE_TEST_ONLY  # noqa: B018


def test_an_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError):
        settings.NO_SUCH_SETTING  # noqa: B018


def test_installing_twice_changes_nothing():
    settings_access.install()
    assert type(settings) is settings_access.QuickSettings
