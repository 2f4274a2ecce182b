"""The campaign's organisers work in English, Russian, Belarusian and German, from different
time zones. Each staff account has its own language and time zone: the admin shows its pages
in that language and every time on that account's clocks, and the mail sent to the person
(the moderators' digest, a take-down notice) is written in that language with its times on
those clocks. An account without a choice reads as before: the admin in the browser's
language, mail in the site's, and every time in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.accounts.invitations import invite
from picketline.accounts.models import StaffPreferences
from picketline.accounts.roles import MODERATOR, ORGANISER, ensure_roles
from picketline.dashboard import digest
from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.submissions import notify
from picketline.submissions.models import Decision
from picketline.supporters.models import ErasureLog
from picketline.web.moments import moment_text
from tests.accounts.otp import totp_code
from tests.fixtures.accounts import login_verified, make_staff
from tests.mailings.helpers import mailing, supporter
from tests.submissions.helpers import make_video_message

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# (language, zone, subject of the take-down notice, the publishing time as the body gives it)
READERS = [
    (
        "ru",
        "Europe/Minsk",
        "Видеообращение №{n} отозвано: снимите его с каналов кампании",
        "5 декабря 2026, 12:00 (время: Минск, UTC+3)",
    ),
    (
        "be",
        "Europe/Minsk",
        "Відэазварот №{n} адкліканы: зніміце яго з каналаў кампаніі",
        "5 снежня 2026, 12:00 (час: Мінск, UTC+3)",
    ),
    (
        "de",
        "Europe/Berlin",
        "Videobotschaft Nr. {n} wurde widerrufen: Entfernen Sie sie aus den Kanälen der Kampagne",
        "5. Dezember 2026, 10:00 (Ortszeit Berlin, UTC+1)",
    ),
]


@pytest.fixture(autouse=True)
def roles():
    ensure_roles()


def staff(username: str, role: str, *, language: str = "", zone: str = ""):
    user = make_staff(username, superuser=False, groups=[role])
    user.email = f"{username}@example.org"
    user.save()
    if language or zone:
        StaffPreferences.keep(user, language=language, time_zone=zone)
    return user


def signed_in(user) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def arrived() -> list:
    """The mail as it reaches the inbox, once the worker has sent the outbox."""
    send_due()
    return list(mail.outbox)


def cell(page: str, column: str) -> str:
    """The text of the first row's cell of ``column`` in an admin change list."""
    found = re.search(rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', page, re.S)
    assert found, column
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


# Mail to staff ----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "zone", "subject", "published"), READERS)
def test_a_take_down_notice_is_in_the_moderators_language_with_the_time_on_their_clocks(
    language, zone, subject, published
):
    staff("moderator", MODERATOR, language=language, zone=zone)
    video = make_video_message()

    notify.video_down_to_moderators(video, PUBLISHED)
    [sent] = arrived()

    assert sent.to == ["moderator@example.org"]
    assert sent.subject == subject.format(n=video.pk)
    assert published in sent.body and published in sent.alternatives[0][0]
    assert "09:00" not in sent.body


def test_each_moderator_gets_the_notice_in_their_own_language_and_the_others_as_before():
    staff("olga", MODERATOR, language="ru", zone="Europe/Minsk")
    staff("jonas", ORGANISER, language="de", zone="Europe/Berlin")
    staff("sam", MODERATOR)  # no choice: the site's language and clocks
    video = make_video_message()

    notify.video_down_to_moderators(video, PUBLISHED)

    by_address = {sent.to[0]: sent for sent in arrived()}
    assert by_address["olga@example.org"].subject.startswith(f"Видеообращение №{video.pk}")
    assert "12:00 (время: Минск, UTC+3)" in by_address["olga@example.org"].body
    assert by_address["jonas@example.org"].subject.startswith(f"Videobotschaft Nr. {video.pk}")
    assert "10:00 (Ortszeit Berlin, UTC+1)" in by_address["jonas@example.org"].body
    assert by_address["sam@example.org"].subject.startswith(f"Video message #{video.pk} was")
    assert "5 December 2026, 09:00 (UTC)" in by_address["sam@example.org"].body


def test_the_notice_of_videos_gone_at_the_campaigns_end_reads_on_the_moderators_clocks():
    staff("olga", MODERATOR, language="ru", zone="Europe/Minsk")
    gone = [notify.GoneVideo(7, PUBLISHED, "http://testserver/admin/x/7/").as_json()]

    notify.videos_gone_at_the_campaigns_end(gone)
    [sent] = arrived()

    assert "№7, опубликовано 5 декабря 2026, 12:00 (время: Минск, UTC+3)" in sent.body


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ru", "Эти материалы ждут решения модератора:"),
        ("be", "Гэтыя матэрыялы чакаюць рашэння мадэратара:"),
        ("de", "Diese Einträge warten auf eine Entscheidung der Moderation:"),
        ("", "These wait for a moderator's decision:"),
    ],
)
def test_the_moderators_digest_is_in_their_language(language, heading):
    staff("moderator", MODERATOR, language=language)
    make_video_message().confirm()

    assert digest.send() == 1
    [sent] = arrived()

    assert heading in sent.body
    assert OutgoingMessage.objects.get().language == (language or "en")


def test_rendering_a_mail_for_one_moderator_leaves_no_language_or_clocks_behind():
    staff("olga", MODERATOR, language="ru", zone="Europe/Minsk")
    notify.video_down_to_moderators(make_video_message(), PUBLISHED)

    assert translation.get_language() == "en"
    assert moment_text(PUBLISHED) == "5 December 2026, 09:00 (UTC)"


# The admin ----------------------------------------------------------------------------------


def outbox_list(client: Client, accept: str = "en") -> str:
    with time_machine.travel(PUBLISHED, tick=False):
        OutgoingMessage.queue(to=["a@example.org"], subject="s", text="t", kind="test")
    return client.get("/admin/mail/outgoingmessage/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()


def test_the_outbox_shows_its_times_on_the_organisers_clocks_and_in_their_language():
    organiser = staff("olga", ORGANISER, language="ru", zone="Europe/Minsk")

    # Her browser says English; her account says Russian, and Minsk.
    page = outbox_list(signed_in(organiser), accept="en")

    assert '<html lang="ru"' in page
    assert "<h1>Выберите исходящее сообщение для просмотра</h1>" in page
    assert "12:00" in cell(page, "created_at")


def test_without_a_choice_the_admin_follows_the_browser_and_shows_utc_as_before():
    organiser = staff("sam", ORGANISER)

    page = outbox_list(signed_in(organiser), accept="de")

    assert '<html lang="de"' in page
    assert "09:00" in cell(page, "created_at")


def test_a_moderation_decision_shows_when_it_was_taken_on_the_moderators_clocks():
    moderator = staff("jonas", MODERATOR, language="de", zone="Europe/Berlin")
    video = make_video_message()
    video.confirm()
    with time_machine.travel(PUBLISHED, tick=False):
        video.decide(moderator, Decision.Action.APPROVE)
    client = signed_in(moderator)

    listed = client.get("/admin/submissions/decision/").content.decode()
    shown = client.get(
        f"/admin/submissions/decision/{Decision.objects.get().pk}/change/"
    ).content.decode()

    assert "10:00" in cell(listed, "decided_at")
    assert "Entscheidung" in listed
    assert re.search(r"5\. Dezember 2026,? 10:00", shown), shown[:2000]


def test_an_erasures_page_is_headed_with_its_time_on_the_organisers_clocks():
    organiser = staff("olga", ORGANISER, language="ru", zone="Europe/Minsk")
    erasure = ErasureLog.objects.create(erased_at=PUBLISHED, reason=ErasureLog.Reason.REQUEST)
    client = signed_in(organiser)

    page = client.get(f"/admin/supporters/erasurelog/{erasure.pk}/change/").content.decode()

    assert "5 декабря 2026, 12:00 (время: Минск, UTC+3)" in page
    assert "09:00" not in page


def test_the_index_names_the_clocks_of_its_pages():
    page = signed_in(staff("olga", ORGANISER, language="be", zone="Europe/Minsk"))
    with time_machine.travel(PUBLISHED, tick=False):
        text = page.get("/admin/").content.decode()
    assert "Час на гэтых старонках: час: Мінск, UTC+3." in text


def test_an_organiser_chooses_their_language_and_time_zone_on_their_own_page():
    organiser = staff("olga", ORGANISER)
    client = signed_in(organiser)
    page = client.get("/admin/account/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your language and time zone" in page

    response = client.post(
        "/admin/account/", {"language": "ru", "time_zone": "Europe/Minsk"}, follow=True
    )

    assert response.status_code == 200
    assert "Ваш язык и часовой пояс сохранены." in response.content.decode()
    chosen = StaffPreferences.objects.get(user=organiser)
    assert (chosen.language, chosen.time_zone) == ("ru", "Europe/Minsk")
    assert "12:00" in cell(outbox_list(client, accept="en"), "created_at")


def test_an_unknown_time_zone_is_refused_on_the_own_page():
    client = signed_in(staff("olga", ORGANISER))
    response = client.post("/admin/account/", {"language": "", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert not StaffPreferences.objects.exists()


def test_a_page_under_a_language_prefix_keeps_its_language_for_staff_too():
    organiser = staff("olga", ORGANISER, language="ru", zone="Europe/Minsk")
    page = signed_in(organiser).get("/de/me/privacy/")
    assert page.status_code == 200
    assert '<html lang="de"' in page.content.decode()


def test_an_admin_page_leaves_no_clocks_behind_for_the_next_request():
    organiser = staff("olga", ORGANISER, language="ru", zone="Europe/Minsk")
    signed_in(organiser).get("/admin/")
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_mailings_send_time_is_typed_on_the_organisers_clocks():
    organiser = staff("jonas", ORGANISER, language="de", zone="Europe/Berlin")
    supporter("ana@example.org")
    made = mailing()
    client = signed_in(organiser)
    schedule = f"/admin/mailings/mailing/{made.pk}/schedule/"

    with time_machine.travel(PUBLISHED, tick=False):
        form = client.get(schedule).content.decode()
    client.post(schedule, {"send_at": "2099-06-01T10:00"})

    assert "senden um (Ortszeit Berlin, UTC+1)" in form
    made.refresh_from_db()
    assert made.scheduled_at == datetime(2099, 6, 1, 8, 0, tzinfo=UTC)  # 10:00 summer time


# Setting up an account ----------------------------------------------------------------------


def test_an_administrator_sets_the_language_and_zone_of_a_new_account_and_the_person_may_change_them(
    client,
):
    root = make_staff("root")
    login_verified(client, root)
    client.post(
        "/admin/accounts/staffinvitation/add/",
        {
            "username": "nadia",
            "role": "",
            "hours": "2",
            "language": "be",
            "time_zone": "Europe/Minsk",
        },
    )
    link = StaffPreferences.objects.get(user__username="nadia")
    assert (link.language, link.time_zone) == ("be", "Europe/Minsk")

    _user, url = invite("nadia", created_by="root")  # a fresh link; the choice stays
    newcomer = Client()
    path = url[url.index("/admin/") :]
    page = newcomer.get(path).content.decode()
    assert '<option value="be" selected>' in page
    assert '<option value="Europe/Minsk" selected>' in page
    device = TOTPDevice.objects.get(confirmed=False, user__username="nadia")
    password = "stitch-the-banner-at-dawn"
    newcomer.post(
        path,
        {
            "email": "nadia@example.org",
            "language": "de",
            "time_zone": "Europe/Berlin",
            "new_password1": password,
            "new_password2": password,
            "token": totp_code(device),
        },
    )

    chosen = StaffPreferences.objects.get(user__username="nadia")
    assert (chosen.language, chosen.time_zone) == ("de", "Europe/Berlin")
    assert '<html lang="de"' in newcomer.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_the_set_up_page_offers_the_language_it_is_read_in_when_none_was_chosen():
    _user, url = invite("nadia", created_by="root")
    page = Client().get(url[url.index("/admin/") :], HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<option value="ru" selected>' in page
    assert '<option value="" selected>не выбран: время сайта, UTC</option>' in page


@pytest.mark.parametrize(
    ("language", "heading", "required"),
    [
        (
            "de",
            "Ihr Konto im Organisationsteam einrichten",
            "Dieses Feld ist zwingend erforderlich.",
        ),
        ("ru", "Настройка учётной записи организатора", "Обязательное поле."),
        ("be", "Наладка ўліковага запісу арганізатара", "Поле трэба запоўніць."),
    ],
)
def test_the_set_up_page_speaks_the_language_the_link_was_made_with(
    capsys, language, heading, required
):
    call_command("invite_organiser", "nadia", "--language", language, "--time-zone", "UTC")
    link = capsys.readouterr().out.split()[-1]
    path = link[link.index("/admin/") :]
    newcomer = Client()
    response = newcomer.get(path, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert f"<h1>{heading}</h1>" in page
    assert f'<option value="{language}" selected>' in page
    assert response["Content-Language"] == language
    # A form sent back (here: nothing filled in) still speaks it.
    page = newcomer.post(path, {"language": language}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<html lang="{language}"' in page and required in page


def test_a_person_who_picks_another_language_on_the_set_up_page_reads_it_in_that_one():
    _user, url = invite("nadia", created_by="root", language="de")
    path = url[url.index("/admin/") :]
    newcomer = Client()
    response = newcomer.post(path, {"language": "be"}, HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert '<html lang="be"' in page and "<h1>Наладка ўліковага запісу арганізатара</h1>" in page
    assert '<option value="be" selected>' in page
    # Nothing is kept until the form is complete: the link's choice stands meanwhile.
    assert StaffPreferences.objects.get(user__username="nadia").language == "de"
    # "Not chosen" hands the page back to the browser.
    page = newcomer.post(path, {"language": ""}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru"' in page


def test_an_administrator_sets_them_in_the_accounts_admin():
    root = make_staff("root")
    nadia = make_staff("nadia", superuser=False)
    client = signed_in(root)
    page = client.get(f"/admin/auth/user/{nadia.pk}/change/").content.decode()
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    form.update(
        {
            "staff_preferences-0-language": "ru",
            "staff_preferences-0-time_zone": "Europe/Moscow",
            "username": "nadia",
            "date_joined_0": "2026-12-01",
            "date_joined_1": "10:00:00",
            "is_active": "on",
            "is_staff": "on",
        }
    )
    response = client.post(f"/admin/auth/user/{nadia.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    chosen = StaffPreferences.objects.get(user=nadia)
    assert (chosen.language, chosen.time_zone) == ("ru", "Europe/Moscow")


def test_the_command_line_link_can_carry_them(capsys):
    call_command("invite_organiser", "nadia", "--language", "ru", "--time-zone", "Europe/Minsk")
    chosen = StaffPreferences.objects.get(user__username="nadia")
    assert (chosen.language, chosen.time_zone) == ("ru", "Europe/Minsk")
