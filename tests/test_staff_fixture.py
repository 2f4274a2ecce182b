import pytest

from tests.fixtures.accounts import login_verified, make_staff


@pytest.mark.django_db
def test_it_lets_a_verified_organiser_into_the_admin(client):
    login_verified(client, make_staff())
    assert client.get("/admin/").status_code == 200
