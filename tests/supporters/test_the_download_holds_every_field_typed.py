"""The privacy page's download holds everything a person typed into any form, for every kind of
action (the same traces the erasure test leaves: letters, a registration, a video, an
endorsement, an action report, an action proposed and one held, reported on and written about
to those who signed up)."""

from __future__ import annotations

import json

import pytest

from tests.supporters.test_erasure_leaves_nothing_of_the_person import (
    EMAIL,
    NAME,
    TYPED,
    leave_every_trace,
    stored_files,  # noqa: F401  (the traces' files go to a folder of the test's own)
)

pytestmark = pytest.mark.django_db


def test_everything_typed_anywhere_is_in_the_download():
    supporter, _files = leave_every_trace()
    download = json.dumps(supporter.personal_data(), ensure_ascii=False)
    missing = [
        label
        for label, typed in {"name": NAME, "address": EMAIL, **TYPED}.items()
        if typed not in download
    ]
    assert missing == []
