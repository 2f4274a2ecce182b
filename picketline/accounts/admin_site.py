"""Django's admin app, with the organisers' admin site (``login.OrganiserAdminSite``) as its
default site; ``settings.INSTALLED_APPS`` names this config instead of ``django.contrib.admin``."""

from django.contrib.admin.apps import AdminConfig


class OrganiserAdminConfig(AdminConfig):
    default_site = "picketline.accounts.login.OrganiserAdminSite"
