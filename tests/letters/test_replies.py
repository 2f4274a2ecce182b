"""Replies from recipients: organisers record them (with a document kept private), a letter's
writer is asked fourteen days after it went out whether anyone replied, and the action's page
counts the replies received. Only organisers see replies; erasure takes the writer's words."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import ADMINISTRATOR, MODERATOR, ORGANISER, VIEWER, ensure_roles
from picketline.accounts.roles import _permissions_for as permissions_for
from picketline.letters import replies, sending
from picketline.letters.models import REPLY_DOCUMENTS, Delivery, Letter, Reply, Role
from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.supporters.models import Consent
from picketline.web import orphans
from tests.fixtures.accounts import login_verified, make_staff
from tests.fixtures.media import use_media_folders
from tests.letters.helpers import confirmed_letter, embassy_action, letter_action, target

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return use_media_folders(settings, tmp_path)


@pytest.fixture
def action():
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    return letter_action(fixed=[ministry])


def sent_days_ago(letter: Letter, days: float) -> None:
    """The letter's deliveries go to the outbox and were sent ``days`` ago."""
    sending.queue_due()
    ids = Delivery.objects.filter(letter=letter).values_list("message_id", flat=True)
    OutgoingMessage.objects.filter(pk__in=list(ids)).update(
        status=OutgoingMessage.Status.SENT, sent_at=timezone.now() - timedelta(days=days)
    )


def questions() -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.filter(kind="reply-question"))


def test_the_writer_is_asked_once_fourteen_days_after_the_letter_went_out(action):
    letter = confirmed_letter(action)
    sent_days_ago(letter, 13.9)
    assert replies.ask_about_replies() == 0
    OutgoingMessage.objects.filter(kind="letter").update(
        sent_at=timezone.now() - timedelta(days=14, minutes=1)
    )
    assert replies.ask_about_replies() == 1
    assert replies.ask_about_replies() == 0  # once, however often the job runs
    [question] = questions()
    assert question.recipients() == ["anna@example.net"]

    mail.outbox.clear()
    send_due()
    [sent] = [m for m in mail.outbox if m.to == ["anna@example.net"]]
    assert sent.subject == "Did anyone reply to your letter?"
    assert "/en/me/privacy/" in sent.body
    assert re.search(r"/en/letters/reply/[^/\s]+/", sent.body)


def test_the_question_is_in_the_writers_language_in_both_parts(action):
    letter = confirmed_letter(action, language="de")
    sent_days_ago(letter, 14.1)
    assert replies.ask_about_replies() == 1
    [question] = questions()
    assert question.compose()
    assert question.subject == "Hat jemand auf Ihren Brief geantwortet?"
    # The HTML part says its language, so that a reader's screen reader speaks it right.
    assert '<html lang="de">' in question.body_html


def test_a_letter_counts_from_when_it_went_out_and_is_not_asked_about_weeks_too_late(action):
    waiting = confirmed_letter(action, email="bo@example.net")
    assert replies.ask_about_replies(timezone.now() + timedelta(days=20)) == 0
    sent_days_ago(waiting, 15)
    assert replies.ask_about_replies(timezone.now() + timedelta(days=14)) == 0  # 29 days on
    assert replies.ask_about_replies() == 1


def test_a_letter_in_a_daily_digest_is_asked_about_too():
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[ministry], sending_policy="digest")
    confirmed_letter(action)
    assert sending.send_digests() == 1
    OutgoingMessage.objects.update(
        status=OutgoingMessage.Status.SENT, sent_at=timezone.now() - timedelta(days=14, hours=1)
    )
    assert replies.ask_about_replies() == 1


def test_no_question_without_consent_or_after_erasure(action):
    withdrawn = confirmed_letter(action, email="bo@example.net")
    erased = confirmed_letter(action, email="cy@example.net")
    sent_days_ago(withdrawn, 20)
    sent_days_ago(erased, 20)
    Consent.objects.get(supporter=withdrawn.supporter).withdraw()
    erased.supporter.erase()
    assert replies.ask_about_replies() == 0
    assert questions() == []


def test_a_consent_withdrawn_after_the_question_was_queued_stops_it(action):
    letter = confirmed_letter(action)
    sent_days_ago(letter, 20)
    replies.ask_about_replies()
    Consent.objects.get(supporter=letter.supporter).withdraw()
    mail.outbox.clear()
    send_due()
    assert not [m for m in mail.outbox if m.subject == "Did anyone reply to your letter?"]


def test_the_link_shows_a_button_and_only_the_post_records_the_answer(client, action):
    letter = confirmed_letter(action)
    url = reverse("letters:reply_answer", kwargs={"token": replies.reply_token(letter)})
    page = client.get(url)
    assert page.status_code == 200 and 'type="submit"' in page.content.decode()
    assert not Reply.objects.exists()  # a mail scanner opening the link records nothing

    response = client.post(url, {"answer": "yes", "text": "The embassy wrote back."})
    assert response.status_code == 200
    reply = Reply.objects.get()
    assert (reply.letter, reply.answer, reply.source) == (letter, "yes", "supporter")
    assert reply.text == "The embassy wrote back."
    # Opened again, the page says an answer exists but shows none of its words: whoever
    # holds a forwarded link must not read what the writer wrote.
    again = client.get(url).content.decode()
    assert "You have answered before." in again
    assert "The embassy wrote back." not in again and "checked" not in again
    # Answering again changes the answer; there is one per letter.
    client.post(url, {"answer": "no", "text": ""})
    assert Reply.objects.get().answer == "no"
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    assert client.get(url.replace("/reply/", "/reply/x")).status_code == 404


def test_the_action_page_counts_replies_from_organisers_and_writers(client, action):
    ministry = action.fixed_targets.get()
    Reply.objects.create(action=action, target=ministry, received_on=timezone.localdate())
    replies.record_answer(confirmed_letter(action), "yes", "")
    replies.record_answer(confirmed_letter(action, email="bo@example.net"), "no", "")
    page = client.get(reverse("letters:action", args=[action.slug])).content.decode()
    assert "2 replies received from recipients." in page


def test_erasure_takes_the_writers_words_and_keeps_the_answer_counted(action):
    letter = confirmed_letter(action)
    replies.record_answer(letter, "yes", "Anna got a letter from the ministry.")
    data = letter.personal_data()
    assert (data["reply"], data["reply_text"]) == (
        "a reply came",
        "Anna got a letter from the ministry.",
    )
    letter.supporter.erase()
    reply = Reply.objects.get()
    assert reply.text == "" and reply.answer == "yes"
    assert Reply.objects.filter(action=action).received().count() == 1


def test_the_link_dies_with_the_writer(client, action):
    letter = confirmed_letter(action)
    url = reverse("letters:reply_answer", kwargs={"token": replies.reply_token(letter)})
    letter.supporter.erase()
    assert client.get(url).status_code == 404


def test_only_organisers_and_administrators_see_replies():
    for role in (ADMINISTRATOR, ORGANISER):
        assert "view_reply" in {p.codename for p in permissions_for(role)}
    assert "add_reply" in {p.codename for p in permissions_for(ORGANISER)}
    for role in (MODERATOR, VIEWER):
        assert not {"view_reply", "add_reply"} & {p.codename for p in permissions_for(role)}


def test_a_viewer_cannot_open_the_replies(client):
    ensure_roles()
    login_verified(client, make_staff("viewer", superuser=False, groups=[VIEWER]))
    assert client.get(reverse("admin:letters_reply_changelist")).status_code == 403


def organiser(client):
    ensure_roles()
    user = make_staff("organiser", superuser=False, groups=[ORGANISER])
    login_verified(client, user)
    return user


def test_an_organiser_records_a_reply_with_its_document_kept_private(client, action, media):
    user = organiser(client)
    ministry = action.fixed_targets.get()
    response = client.post(
        reverse("admin:letters_reply_add"),
        {
            "action": action.pk,
            "target": ministry.pk,
            "received_on": "2024-05-02",
            "text": "We have received your letters.",
            "upload": SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reply = Reply.objects.get()
    assert (reply.source, reply.recorded_by, reply.target) == ("organiser", user, ministry)
    media_root, private_root = media
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    assert [p.read_bytes() for p in private_root.rglob("*.pdf")] == [PDF]

    document = client.get(reverse("admin:letters_reply_document", args=[reply.pk]))
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF
    assert AuditEntry.objects.filter(what__contains=f"letters.reply #{reply.pk}").exists()
    page = client.get(reverse("letters:action", args=[action.slug])).content.decode()
    assert "1 reply received from a recipient." in page


def test_a_replaced_or_deleted_replys_document_leaves_the_private_storage(client, action, media):
    organiser(client)
    ministry = action.fixed_targets.get()
    _media_root, private_root = media

    def documents() -> list[bytes]:
        return sorted(p.read_bytes() for p in private_root.rglob("*") if p.is_file())

    fields = {"action": action.pk, "target": ministry.pk, "text": "Received."}
    first = SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(reverse("admin:letters_reply_add"), {**fields, "upload": first}).status_code
        == 302
    )
    reply = Reply.objects.get()
    second_pdf = PDF.replace(b"1.4", b"1.7")
    second = SimpleUploadedFile("again.pdf", second_pdf, content_type="application/pdf")
    change = reverse("admin:letters_reply_change", args=[reply.pk])
    assert client.post(change, {**fields, "upload": second}).status_code == 302
    assert documents() == [second_pdf]

    delete = reverse("admin:letters_reply_delete", args=[reply.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Reply.objects.exists()
    assert documents() == []


def test_replies_deleted_from_the_list_take_their_documents(client, action, media):
    organiser(client)
    ministry = action.fixed_targets.get()
    _media_root, private_root = media
    for _ in range(2):
        upload = SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf")
        client.post(
            reverse("admin:letters_reply_add"),
            {"action": action.pk, "target": ministry.pk, "upload": upload},
        )
    assert len(list(private_root.rglob("*.pdf"))) == 2

    response = client.post(
        reverse("admin:letters_reply_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(Reply.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Reply.objects.exists()
    assert list(private_root.rglob("*.pdf")) == []


def test_a_document_that_is_not_a_pdf_or_picture_or_too_large_is_refused(
    client, action, monkeypatch
):
    organiser(client)
    ministry = action.fixed_targets.get()

    def send(content: bytes):
        return client.post(
            reverse("admin:letters_reply_add"),
            {
                "action": action.pk,
                "target": ministry.pk,
                "upload": SimpleUploadedFile("x.pdf", content, content_type="application/pdf"),
            },
        )

    assert "Please send a PDF or a picture" in send(b"MZ\x90\x00 not a pdf").content.decode()
    monkeypatch.setattr("picketline.letters.admin.REPLY_DOCUMENT_MAX_BYTES", 10)
    assert "larger than" in send(PDF).content.decode()
    assert not Reply.objects.exists()


def test_the_coverage_view_lists_countries_with_and_without_a_recipient(client):
    action = embassy_action()
    target("Embassy of Belarus in Germany", "DE")
    target("Embassy of Belarus in France", "FR")
    confirmed_letter(action, country="DE")
    confirmed_letter(action, email="p@example.net", country="PL")
    organiser(client)
    change = client.get(reverse("admin:letters_letteraction_change", args=[action.pk]))
    url = reverse("admin:letters_letteraction_coverage", args=[action.pk])
    assert url in change.content.decode()
    page = client.get(url).content.decode()
    total = replies.coverage(action).all_countries
    assert total > 240
    assert f"2 of {total} countries have a recipient of their own" in page
    assert "1 of the 2 countries letters were written from have one." in page
    assert "Poland (PL)" in page and "Germany (DE)" in page


def test_the_coverage_view_counts_one_country_in_the_singular(client):
    action = embassy_action()
    target("Embassy of Belarus in Germany", "DE")
    confirmed_letter(action, country="DE")
    organiser(client)
    url = reverse("admin:letters_letteraction_coverage", args=[action.pk])
    page = client.get(url).content.decode()
    assert "1 of the 1 country letters were written from has one." in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Из 1 страны, откуда писали письма, он есть в 1." in page


def test_the_coverage_view_is_for_staff_only(client):
    url = reverse("admin:letters_letteraction_coverage", args=[embassy_action().pk])
    assert client.get(url).status_code == 302  # to the log-in page
    assert "Recipients by country" not in client.get(url, follow=True).content.decode()


def test_an_organiser_reads_a_writers_answer_and_the_look_is_logged(client, action):
    reply = replies.record_answer(confirmed_letter(action), "yes", "The embassy called me.")
    organiser(client)
    page = client.get(reverse("admin:letters_reply_change", args=[reply.pk]))
    assert page.status_code == 200 and "The embassy called me." in page.content.decode()
    assert AuditEntry.objects.filter(what=f"letters.reply #{reply.pk}").exists()
    # A writer's words are theirs: read, never edited.
    assert 'name="text"' not in page.content.decode()


def test_the_sweep_of_files_no_row_names_keeps_a_reply_s_document(client, action, media):
    organiser(client)
    upload = SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("admin:letters_reply_add"),
        {"action": action.pk, "target": action.fixed_targets.get().pk, "upload": upload},
    )
    reply = Reply.objects.get()
    _media_root, private_root = media
    kept = private_root / reply.document
    left = private_root / REPLY_DOCUMENTS / "left-behind.pdf"
    left.write_bytes(PDF)
    then = time.time() - 3700
    for path in (kept, left):
        os.utime(path, (then, then))

    assert orphans.delete_unreferenced() == 1
    assert (kept.exists(), left.exists()) == (True, False)
    document = client.get(reverse("admin:letters_reply_document", args=[reply.pk]))
    assert b"".join(document.streaming_content) == PDF


def test_the_question_names_the_day_the_letter_went_out_not_a_fixed_fortnight(action):
    """The question may go up to four weeks after the letter: it says when, in the writer's
    language, and where the sent mail is already gone it says no exact time."""
    letter = confirmed_letter(action, language="de")
    sent_days_ago(letter, 20)
    went_out = timezone.localdate(timezone.now() - timedelta(days=20))
    assert replies.ask_about_replies() == 1
    [question] = questions()
    assert question.compose()
    with translation.override("de"):
        day = date_format(went_out, "DATE_FORMAT")
    for body in (question.body_text, question.body_html):
        assert f"Am {day} ging Ihr Brief" in body
        assert "zwei Wochen" not in body

    OutgoingMessage.objects.filter(kind="letter").delete()  # purged with the sent mail
    assert question.compose()
    assert "Vor einigen Wochen ging Ihr Brief" in question.body_text


def test_an_erased_writer_s_name_and_address_leave_the_replies_organisers_recorded():
    """A recipient's reply, recorded by an organiser, may be addressed to a writer: erasing
    the writer takes their name, each part of it and their address out of the replies to the
    actions they wrote in, and nothing else."""
    from picketline.letters.models import ERASED

    embassy = target("Embassy of Belarus", "DE", Role.EMBASSY_OF_BELARUS)
    action = letter_action(fixed=[embassy])
    other_action = letter_action(fixed=[embassy], slug="another-letter")
    zofia = confirmed_letter(action, "zofia@example.net", "Zofia Quillfeather")
    confirmed_letter(action, "bo@example.net", "Bo Keller")
    addressed = Reply.objects.create(
        action=action,
        target=embassy,
        text="Dear Ms Zofia Quillfeather, thank you. Copy to zofia@example.net and Bo Keller.",
    )
    surname = Reply.objects.create(
        action=action, target=embassy, text="Dear Ms QUILLFEATHER, we have received it."
    )
    untouched = Reply.objects.create(
        action=action, target=embassy, text="Zofiana and Quillfeathered are not her name."
    )
    elsewhere = Reply.objects.create(
        action=other_action, target=embassy, text="Dear Ms Quillfeather (another action)."
    )
    zofia.supporter.erase()
    for reply in (addressed, surname, untouched, elsewhere):
        reply.refresh_from_db()
    assert addressed.text == f"Dear Ms {ERASED}, thank you. Copy to {ERASED} and Bo Keller."
    assert surname.text == f"Dear Ms {ERASED}, we have received it."
    assert untouched.text == "Zofiana and Quillfeathered are not her name."
    # She wrote nothing in the other action: its replies are not hers to take out of.
    assert elsewhere.text == "Dear Ms Quillfeather (another action)."


def test_an_erased_writer_s_name_leaves_the_same_words_that_are_no_one_s_name():
    """A part of a name that is also a word ("Will", a particle such as "der") is taken out
    where it is written as a name (capitalised, or in capitals), not every time the reply uses
    the word; a name typed in lower case still goes, whatever its capitals in the reply."""
    from picketline.letters.models import ERASED

    embassy = target("Embassy of Belarus", "DE", Role.EMBASSY_OF_BELARUS)
    action = letter_action(fixed=[embassy])
    will = confirmed_letter(action, "will@example.net", "Will Maybury")
    anna = confirmed_letter(action, "anna@example.net", "Anna van der Berg")
    quiet = confirmed_letter(action, "quiet@example.net", "zofia quillfeather")
    english = Reply.objects.create(
        action=action, target=embassy, text="Dear Mr Will Maybury and Mr MAYBURY, we will reply."
    )
    german = Reply.objects.create(
        action=action, target=embassy, text="Sehr geehrte Frau Berg, der Botschafter antwortet."
    )
    lower = Reply.objects.create(
        action=action, target=embassy, text="Dear Ms Quillfeather, dear Zofia Quillfeather."
    )
    for letter in (will, anna, quiet):
        letter.supporter.erase()
    for reply in (english, german, lower):
        reply.refresh_from_db()
    assert english.text == f"Dear Mr {ERASED} and Mr {ERASED}, we will reply."
    assert german.text == f"Sehr geehrte Frau {ERASED}, der Botschafter antwortet."
    assert lower.text == f"Dear Ms {ERASED}, dear {ERASED}."
    # The punctuation typed with a part is not needed in the reply; a one-word name goes too.
    comma = confirmed_letter(action, "qz@example.net", "Quillfeather, Zofia")
    single = confirmed_letter(action, "bo@example.net", "Bo")
    both = Reply.objects.create(
        action=action, target=embassy, text="Dear Ms Quillfeather and Bo, we will reply."
    )
    for letter in (comma, single):
        letter.supporter.erase()
    both.refresh_from_db()
    assert both.text == f"Dear Ms {ERASED} and {ERASED}, we will reply."
