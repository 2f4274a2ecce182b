"""Two requests with the same new address at the same moment still make one supporter."""

import threading

import pytest
from django.db import connection, connections

from picketline.supporters.models import Supporter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_sign_ups_with_one_address_make_one_supporter():
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(6)
    results: list[int] = []
    errors: list[BaseException] = []

    def sign_up() -> None:
        try:
            barrier.wait(timeout=10)
            supporter, _ = Supporter.get_or_create_for_email("same@example.org", name="Same")
            results.append(supporter.pk)
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Supporter.objects.count() == 1
    assert set(results) == {Supporter.objects.get().pk}
