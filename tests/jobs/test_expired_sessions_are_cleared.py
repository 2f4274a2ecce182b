"""Expired sessions are cleared by a job."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from picketline.jobs import schedule

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_cleared_by_a_job():
    live = SessionStore()
    live["supporter"] = 1
    live.create()
    expired = SessionStore()
    expired["supporter"] = 2
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    schedule.load_jobs()["picketline.jobs.jobs.clear_expired_sessions"].func()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
