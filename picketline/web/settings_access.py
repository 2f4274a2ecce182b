"""Quicker reading of ``django.conf.settings``.

Django's settings object is a lazy proxy that keeps each setting in its own ``__dict__`` once
read, yet every read still runs the proxy's ``__getattribute__`` in Python, there only to
send a few of the proxy's own methods on to the settings behind it. A letter submission
reads settings about 85 times (a twenty-fifth of its Python). ``install()`` (run by the web
app's ``ready()``) gives the one settings object a subclass whose reads are Python's own:
a setting read before comes straight from the ``__dict__``; the first read of each, and
``override_settings``, work exactly as in Django.
"""

from __future__ import annotations

from django.conf import LazySettings, settings


class QuickSettings(LazySettings):
    __getattribute__ = object.__getattribute__


def install() -> None:
    if type(settings) is QuickSettings:
        return
    if type(settings) is not LazySettings or "__getattribute__" in vars(LazySettings):
        raise RuntimeError(
            "Django's settings object has changed: review picketline.web.settings_access"
        )
    # Python's own ``__class__`` slot: the proxy's ``__class__`` names the settings behind it.
    object.__dict__["__class__"].__set__(settings, QuickSettings)
