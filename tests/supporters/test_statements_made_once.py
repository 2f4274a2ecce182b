"""``first_earlier`` and ``set_confirmed_at``: the statements a form and a confirmation run
with a text each process makes once. They answer as the ORM's queries they replace (asked
here beside them), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from picketline.events.models import Registration
from picketline.letters.models import Letter
from picketline.supporters.models import (
    EARLIER_FIELDS,
    Consent,
    ConsentWording,
    Supporter,
    first_earlier,
    set_confirmed_at,
)
from tests.events.helpers import online_meeting
from tests.letters.helpers import letter_action

pytestmark = pytest.mark.django_db


def letter(action, supporter, created_at, confirmed_at=None) -> Letter:
    return Letter.objects.create(
        action=action,
        supporter=supporter,
        language="en",
        country="DE",
        created_at=created_at,
        confirmed_at=confirmed_at,
    )


def test_the_earlier_letter_is_the_confirmed_one_first_then_the_oldest_never_itself():
    now = timezone.now()
    anna, _ = Supporter.get_or_create_for_email("anna@example.net")
    ben, _ = Supporter.get_or_create_for_email("ben@example.net")
    release, other = letter_action("release"), letter_action("other")
    # Copies made before forms refused a repeat: two confirmed, the later-confirmed one first.
    confirmed_later = letter(release, anna, now - timedelta(hours=4), confirmed_at=now)
    oldest = letter(release, anna, now - timedelta(hours=3))
    confirmed = letter(release, anna, now - timedelta(hours=2), now - timedelta(minutes=5))
    newest = letter(release, anna, now - timedelta(hours=1))
    letter(other, anna, now - timedelta(days=1), confirmed_at=now)
    letter(release, ben, now - timedelta(days=1), confirmed_at=now)

    def earlier(**kwargs):
        equal = {"supporter": anna.pk, "action": release.pk}
        return first_earlier(Letter, EARLIER_FIELDS, equal, confirmed_first=True, **kwargs)

    def as_the_orm_says(other_than=None):
        letters = Letter.objects.filter(supporter=anna, action=release)
        if other_than is not None:
            letters = letters.exclude(pk=other_than)
        return letters.order_by(F("confirmed_at").asc(nulls_last=True), "pk").first()

    assert earlier().pk == confirmed.pk == as_the_orm_says().pk
    assert earlier(other_than=confirmed.pk).pk == confirmed_later.pk
    Letter.objects.filter(pk__in=[confirmed.pk, confirmed_later.pk]).delete()
    assert earlier().pk == oldest.pk == as_the_orm_says().pk
    assert earlier(other_than=oldest.pk).pk == newest.pk == as_the_orm_says(oldest.pk).pk
    assert first_earlier(Letter, EARLIER_FIELDS, {"supporter": ben.pk, "action": other.pk}) is None

    found = earlier()
    with CaptureQueriesContext(connection) as queries:
        read = [found.supporter_id, found.language, found.created_at, found.confirmed_at]
        read.append(found.confirmation_mails_sent)
    assert read[:2] == [anna.pk, "en"] and read[2] == oldest.created_at
    assert len(queries) == 0  # what the mails read was loaded with it
    assert found.get_deferred_fields() >= {"body", "country", "organisation"}


def test_an_earlier_registration_is_the_oldest_not_cancelled_nor_lapsed():
    now = timezone.now()
    anna, _ = Supporter.get_or_create_for_email("anna@example.net")
    meeting, other = online_meeting(), online_meeting(slug="other")
    status = Registration.Status

    def registration(event, state, hours):
        return Registration.objects.create(
            event=event, supporter=anna, status=state, created_at=now - timedelta(hours=hours)
        )

    registration(meeting, status.CANCELLED, 5)
    registration(meeting, status.LAPSED, 4)
    registration(other, status.CONFIRMED, 6)
    waiting = registration(meeting, status.WAITLISTED, 3)
    registration(meeting, status.PENDING, 2)

    def earlier(excluded=(status.CANCELLED, status.LAPSED)):
        return first_earlier(
            Registration,
            (*EARLIER_FIELDS, "event", "status"),
            {"event": meeting.pk, "supporter": anna.pk},
            not_in=("status", excluded),
        )

    def as_the_orm_says():
        registrations = meeting.registrations.filter(supporter=anna)
        return registrations.exclude(status__in=[status.CANCELLED, status.LAPSED]).first()

    assert earlier().pk == waiting.pk == as_the_orm_says().pk
    assert earlier().status == status.WAITLISTED
    assert earlier(excluded=()).status == status.CANCELLED  # nothing left out: the oldest
    Registration.objects.filter(pk=waiting.pk).update(status=status.CANCELLED)
    assert earlier().status == status.PENDING
    assert earlier().pk == as_the_orm_says().pk
    with pytest.raises(ValueError):  # "= NULL" would match nothing: refused, not guessed
        first_earlier(Registration, EARLIER_FIELDS, {"event": meeting.pk, "supporter": None})


def test_confirmed_at_is_set_once_and_not_on_a_repeat_of_a_confirmed_row():
    now = timezone.now()
    anna, _ = Supporter.get_or_create_for_email("anna@example.net")
    release = letter_action("release")
    first = letter(release, anna, now - timedelta(hours=2))
    second = letter(release, anna, now - timedelta(hours=1))
    unless = {"supporter": anna.pk, "action": release.pk}

    assert set_confirmed_at(Letter, now, {"id": first.pk}, unless) == 1
    assert set_confirmed_at(Letter, now, {"id": first.pk}, unless) == 0  # once
    assert set_confirmed_at(Letter, now, {"id": second.pk}, unless) == 0  # a repeat
    assert Letter.objects.get(pk=second.pk).confirmed_at is None
    assert set_confirmed_at(Letter, now, {"id": second.pk}) == 1  # no repeat check asked
    assert Letter.objects.get(pk=first.pk).confirmed_at == now

    wording = ConsentWording.for_text("Send it in my name.", "en")
    for action in (first, second):
        Consent.objects.create(
            supporter=anna,
            purpose=Consent.Purpose.SEND_IN_MY_NAME,
            wording=wording,
            language="en",
            action_type="letters.letter",
            action_id=action.pk,
            given_at=now,
        )
    later = now + timedelta(minutes=1)
    assert (
        set_confirmed_at(Consent, later, {"action_type": "letters.letter", "action_id": first.pk})
        == 1
    )
    confirmed = dict(Consent.objects.values_list("action_id", "confirmed_at"))
    assert confirmed == {first.pk: later, second.pk: None}
