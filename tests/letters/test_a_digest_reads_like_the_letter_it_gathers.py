"""A recipient who gets the day's letters as one digest reads the letter as its writers saw it
in the preview: the people it names from the register, as the register has them, the country
its writers wrote from, and no raw ``[[person:…]]`` or ``{placeholder}``."""

import re

import pytest
from django.utils import timezone

from picketline.letters import sending
from picketline.letters.models import LetterAction, LetterText, Role
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import confirmed_letter, letter_action, target
from tests.registers.helpers import make_person

pytestmark = pytest.mark.django_db
RAW = re.compile(r"\[\[|\{\w+\}")


def digest_action(ministry):
    action = letter_action(fixed=[ministry], sending_policy=LetterAction.SendingPolicy.DIGEST)
    LetterText.objects.filter(action=action, language="en").update(
        subject="Free [[person:bp9]] now, {country}",
        body="{salutation}\n\nI write from {country}. Free [[person:bp9]].\n\n"
        "Yours sincerely,\n{name}",
    )
    return action


def the_digest() -> OutgoingMessage:
    [message] = OutgoingMessage.objects.filter(kind="letter-digest")
    return message


def test_the_digest_names_the_people_of_the_register_and_the_writers_country():
    make_person("bp9", "Vatslau Areshka", is_published=True)
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    action = digest_action(ministry)
    confirmed_letter(action, email="anna@example.net", name="Anna", country="DE")
    confirmed_letter(action, email="ben@example.net", name="Ben", country="DE")
    sending.send_digests(timezone.now())
    digest = the_digest()
    assert "I write from Germany. Free Vatslau Areshka (" in digest.body_text
    assert digest.subject.startswith("Today 2 people wrote to you: Free Vatslau Areshka (")
    assert digest.subject.endswith(" now, Germany")
    assert not RAW.search(digest.subject) and not RAW.search(digest.body_text)


def test_writers_from_several_countries_are_each_named_once():
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    action = digest_action(ministry)
    for name, country in [("Anna", "DE"), ("Léa", "FR"), ("Ben", "DE")]:
        confirmed_letter(action, email=f"{name.lower()}@example.net", name=name, country=country)
    sending.send_digests(timezone.now())
    assert "I write from Germany, France." in the_digest().body_text


def test_it_lists_of_each_writer_only_what_their_letter_says():
    # The preview showed the writer exactly what a recipient gets: a text without their
    # organisation, role or country sends none of these in the digest either.
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[ministry], sending_policy=LetterAction.SendingPolicy.DIGEST)
    LetterText.objects.filter(action=action, language="en").update(
        subject="Free them", body="{salutation}\n\nFree them.\n\nYours sincerely,\n{name}"
    )
    confirmed_letter(action, name="Anna", country="DE", organisation="ver.di", role="steward")
    sending.send_digests(timezone.now())
    body = the_digest().body_text
    assert "- Anna\n" in body
    for unsaid in ("ver.di", "steward", "Germany"):
        assert unsaid not in body
