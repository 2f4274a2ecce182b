"""rows.new builds the same unsaved instance as calling the model, only quicker; values that
skip their field's preparation are the ones it would return."""

from datetime import datetime

import pytest
from django.db.models.signals import pre_init

from picketline.letters.models import Letter
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent, Supporter
from picketline.web import rows
from tests.letters.helpers import embassy_action, target

pytestmark = pytest.mark.django_db


def concrete_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def callable_defaults(model) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields if callable(f.default)}


@pytest.mark.parametrize(
    "model,values",
    [
        (Letter, {"country": "DE", "language": "en", "organisation": "Union", "send_copy": True}),
        (OutgoingMessage, {"to": "a@example.org", "subject": "Hi", "kind": "letter"}),
        (Supporter, {"email": "a@example.org", "name": "Ольга", "language": "ru"}),
        (Consent, {"purpose": "publish_name", "language": "en", "page": "/en/letters/x/"}),
        (Consent, {"purpose": "publish_name", "action_type": "letters.letter", "action_id": 7}),
    ],
)
def test_it_builds_what_the_model_builds(model, values):
    if model is Letter:
        target("Embassy of Belarus in Germany", "DE")
        values = {**values, "action": embassy_action()}
    if model is Consent and "page" in values:
        values = {**values, "supporter": Supporter.objects.create(email="b@example.org")}
    quick, usual = rows.new(model, **values), model(**values)
    assert quick._state.adding and quick.pk is None
    assert quick._state.db == usual._state.db  # set by a relation to a saved instance
    fresh = callable_defaults(model)
    quick_values, usual_values = concrete_values(quick), concrete_values(usual)
    for name in fresh:  # made anew for each instance (times, random nonces)
        assert type(quick_values.pop(name)) is type(usual_values.pop(name))
    assert quick_values == usual_values


def test_a_related_instance_is_remembered_without_a_query(django_assert_num_queries):
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    with django_assert_num_queries(0):
        letter = rows.new(Letter, action=action, country="DE")
        assert letter.action is action
        assert letter.action_id == action.pk


def test_unknown_arguments_are_refused():
    with pytest.raises(TypeError, match="colour"):
        rows.new(OutgoingMessage, to="a@example.org", colour="red")


def test_a_model_with_init_receivers_is_built_the_usual_way():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    pre_init.connect(receiver, sender=OutgoingMessage)
    try:
        message = rows.new(OutgoingMessage, to="a@example.org")
    finally:
        pre_init.disconnect(receiver, sender=OutgoingMessage)
    assert seen == [OutgoingMessage]
    assert message.to == "a@example.org"


def test_values_that_skip_preparation_are_what_preparation_returns():
    from django.db import connection
    from django.utils import timezone

    target("Embassy of Belarus in Germany", "DE")
    letter = rows.new(Letter, action=embassy_action(), country="DE", send_copy=True)
    letter.confirmed_at = timezone.now()
    message = OutgoingMessage.build(to=["a@example.org"], subject="Hi", text="Hello", kind="x")
    checked = set()
    for instance in (letter, message):
        for attname, field, kind in rows._plan(type(instance), ())[1]:
            if kind is None:
                continue
            checked.add(kind)
            quick = rows._prepared(instance, attname, field, kind, connection)
            assert quick == field.get_db_prep_save(field.pre_save(instance, True), connection)
    assert {str, bool, int} <= checked
    if connection.vendor == "postgresql":
        assert datetime in checked


@pytest.mark.parametrize("left", [0, 1, 2, 5])
def test_the_columns_a_linked_row_writes_itself_are_read_in_order(left):
    message = rows.new(OutgoingMessage, to="a@example.org", subject="Hi", kind="letter")
    attnames = [attname for attname, _field, _kind in rows._plan(OutgoingMessage, ())[1]]
    linked = tuple(attnames[left:])
    columns, read = rows._unlinked_columns(OutgoingMessage, linked)
    assert [c[0] for c in columns] == attnames[:left]
    assert read(message) == tuple(getattr(message, name) for name in attnames[:left])
