"""Every message leaves from the site's own address. Someone who gives that address as their
own (an organiser trying a form) must not find the whole outbox on their privacy page, nor
delete it by asking to be erased."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from picketline.mail.models import MessageAddress, OutgoingMessage, site_sender_address
from picketline.web.fields import email_index

pytestmark = pytest.mark.django_db


def queue(to: str, **fields) -> OutgoingMessage:
    return OutgoingMessage.queue(to=[to], subject="s", text="t", kind="letter", **fields)


def test_the_site_address_finds_only_the_mail_sent_to_it(settings):
    settings.DEFAULT_FROM_EMAIL = "Campaign <Campaign@Example.org>"
    letter = queue("minister@example.org", from_email="Анна <campaign@example.org>")
    news = queue("reader@example.org", reply_to=["anna@example.org"])
    to_the_site = queue("campaign@example.org")
    answered = queue("press@example.org", reply_to=["Campaign@example.org"])
    found = set(OutgoingMessage.objects.involving(["campaign@example.org"]))
    assert found == {to_the_site, answered}
    assert list(OutgoingMessage.objects.involving(["anna@example.org"])) == [news]
    assert list(OutgoingMessage.objects.involving(["minister@example.org"])) == [letter]
    assert OutgoingMessage.objects.involving(["campaign@example.org"]).delete_with_copies() == 2
    assert set(OutgoingMessage.objects.all()) == {letter, news}


def test_rows_written_before_for_the_site_address_in_from_are_dropped(settings):
    settings.DEFAULT_FROM_EMAIL = "Campaign <campaign@example.org>"
    message = queue("reader@example.org")
    to_the_site = queue("campaign@example.org")
    site = email_index(site_sender_address())
    MessageAddress.objects.create(message=message, address_index=site)  # as written before
    migration = importlib.import_module("picketline.mail.migrations.0011_site_sender_not_indexed")
    migration.drop_site_sender_rows(apps, None)
    assert list(OutgoingMessage.objects.involving(["campaign@example.org"])) == [to_the_site]
    assert list(OutgoingMessage.objects.involving(["reader@example.org"])) == [message]
