"""The imprint and the privacy policy: written per language by the organisers, linked from every
page's footer and every form, and the policy's figures are the site's own."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from picketline.campaigns import legal_demo
from picketline.campaigns.legal import render
from picketline.campaigns.models import LegalPage
from picketline.lib.demo_dates import DemoDates
from picketline.supporters.models import Consent
from tests.fixtures.accounts import login_verified, make_staff
from tests.fixtures.public_pages import public_paths

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "be", "de"]
IMPRINT = "/{}/legal/imprint/"
POLICY = "/{}/legal/privacy-policy/"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def text_of(page: str) -> str:
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_every_page_links_the_imprint_and_the_policy_in_its_footer_and_every_form_the_policy(
    demo,
):
    client = Client()
    forms = 0
    for language in LANGUAGES:
        for path in public_paths(language):
            page = client.get(path).content.decode()
            footer = page.split('<footer class="site-footer">', 1)[1]
            assert f'href="{IMPRINT.format(language)}"' in footer, path
            assert f'href="{POLICY.format(language)}"' in footer, path
            for form in re.findall(r'<form[^>]*method="post".*?</form>', page, re.DOTALL):
                forms += 1
                assert f'href="{POLICY.format(language)}"' in form, path
    assert forms > 40


def test_the_demo_pages_name_what_the_law_asks_for_in_every_language(demo):
    client = Client()
    for language in LANGUAGES:
        page = client.get(POLICY.format(language)).content.decode()
        assert page.count("<h2>") >= 7, language  # one heading per part
        text = text_of(page)
        assert "Not yet translated" not in text
        article = "Art." if language in ("en", "de") else {"ru": "ст.", "be": "арт."}[language]
        # Controller, explicit consent for special categories, the basis of abuse protection,
        # processors, the right to complain and the authority.
        for needed in (
            "Solidarity with Belarusian Trade Unionists e.V.",
            "Beispielstraße 1",
            "Art. 9 Abs. 2 lit. a" if language == "de" else f"{article} 9(2)(a)",
            "Art. 6 Abs. 1 lit. f" if language == "de" else f"{article} 6(1)(f)",
            f"{article} 28",
            f"{article} 77",
            "Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59–61",
        ):
            assert needed in text, (language, needed)
        imprint = text_of(client.get(IMPRINT.format(language)).content.decode())
        for needed in ("§ 5 DDG", "Beispielstraße 1", "10115 Berlin", "info@solidarity.example"):
            assert needed in imprint, (language, needed)
        assert "VR 00000 B" in imprint and "MStV" in imprint


def test_the_policy_names_a_partner_organisation_among_those_who_receive_data(demo):
    # What a partner's box on a form gives it, in the part that lists the recipients; what its
    # staff then see is proven in tests/partners/test_partner_staff.py.
    receives = {
        "en": ("Who receives it", "A partner organisation named in a box of its own"),
        "ru": ("Кто получает данные", "Организация-партнёр, названная в отдельном флажке"),
        "be": ("Хто атрымлівае даныя", "Арганізацыя-партнёр, названая ў асобным сцяжку"),
        "de": ("Wer die Daten erhält", "Eine Partnerorganisation, die in einem eigenen Kästchen"),
    }
    for language, (heading, bullet) in receives.items():
        page = Client().get(POLICY.format(language)).content.decode()
        recipients = page.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]
        assert bullet in html.unescape(recipients), language


def test_the_policy_states_the_periods_the_site_keeps(demo, settings):
    settings.SUPPORTERS_UNCONFIRMED_DAYS = 5
    settings.SUPPORTERS_RETENTION_MONTHS = 18
    settings.SENT_MAIL_KEEP_DAYS = 21
    settings.SUBMISSIONS_KEEP_ORIGINALS_DAYS = 3
    settings.BACKUP_KEEP_DAYS = 9
    text = text_of(Client().get(POLICY.format("en")).content.decode())
    assert "Anything you do not confirm is deleted after 5 days." in text
    assert "Everyone's data is erased 18 months after the campaign ends." in text
    assert "A sent e-mail is deleted from our outbox after 21 days." in text
    assert "deleted 3 days after its published copy is made" in text
    assert "Backups are deleted after 9 days" in text
    assert "{" not in text
    german = text_of(Client().get(POLICY.format("de")).content.decode())
    assert "nach 5 Tagen gelöscht" in german and "18 Monate nach dem Ende" in german


# What the policy says of the form's cookie, in each language: it holds nothing about the
# visitor and has no expiry date, so it lasts the browser's session, which closing the browser
# ends unless the browser reopens its tabs (then the cookie stays on the device).
FORM_COOKIE_LASTS = {
    "en": "holds nothing about you and has no expiry date, so your browser deletes it at the end "
    "of its session (when you close the browser, unless it reopens the tabs you had open; in a "
    "private window, when you close the last private window)",
    "ru": "не содержит никаких сведений о вас и не имеет срока действия, поэтому браузер удаляет "
    "его, когда завершает свой сеанс (при закрытии, если только он не восстанавливает прежние "
    "вкладки; в приватном окне — при закрытии последнего приватного окна)",
    "be": "не змяшчае ніякіх звестак пра вас і не мае тэрміну дзеяння, таму браўзер выдаляе яго, "
    "калі завяршае свой сеанс (пры закрыцці, калі толькі ён не аднаўляе ранейшыя ўкладкі; у "
    "прыватным акне — пры закрыцці апошняга прыватнага акна)",
    "de": "nichts über Sie enthält und kein Ablaufdatum hat, sodass Ihr Browser es löscht, wenn "
    "er seine Sitzung beendet (beim Schließen, es sei denn, er stellt die zuletzt geöffneten "
    "Tabs wieder her; in einem privaten Fenster beim Schließen des letzten privaten Fensters)",
}
# What it said before: true only of a browser that forgets its last session.
FORM_COOKIE_GOES = {
    "en": "goes when you close your browser",
    "ru": "удаляемый при закрытии браузера",
    "be": "выдаляецца, калі вы закрываеце браўзер",
    "de": "beim Schließen Ihres Browsers gelöscht wird",
}


def test_the_policy_says_the_form_s_cookie_is_random_and_lasts_the_browser_s_session(settings):
    legal_demo.load(DemoDates.original())
    for language in LANGUAGES:
        text = text_of(Client().get(POLICY.format(language)).content.decode())
        assert FORM_COOKIE_LASTS[language] in text, language
        assert FORM_COOKIE_GOES[language] not in text, language
        # and so it is: the cookie a form sets has no lifetime, so the browser keeps it for its
        # session only, and two visits asking the same get two unrelated random values
        first, second = (Client().get(f"/{language}/me/keep-me-informed/") for _ in range(2))
        cookie = first.cookies[settings.CSRF_COOKIE_NAME]
        assert cookie["max-age"] == "" and cookie["expires"] == "", language
        assert re.fullmatch(r"[A-Za-z0-9]{32}", cookie.value), language
        assert cookie.value != second.cookies[settings.CSRF_COOKIE_NAME].value, language


def test_a_consent_records_the_wording_shown_its_language_and_the_time(client):
    before = timezone.now()
    response = client.post(
        "/de/me/keep-me-informed/",
        {"email": "ana@example.org", "consent_organiser_updates": "on", "language": "de"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.language == "de"
    shown = html.unescape(client.get("/de/me/keep-me-informed/").content.decode())
    assert consent.wording.text in shown and "E-Mail" in consent.wording.text
    assert before <= consent.given_at <= timezone.now()


def test_the_text_is_escaped_and_shaped_into_headings_lists_and_paragraphs():
    shaped = render("## Who\n\nLine one\nline <two>\n\n- a\n- b & c")
    assert shaped == (
        "<h2>Who</h2>\n<p>Line one<br>line &lt;two&gt;</p>\n<ul><li>a</li><li>b &amp; c</li></ul>"
    )


def test_an_untranslated_page_shows_the_english_text_marked_as_such():
    LegalPage.objects.create(
        kind=LegalPage.Kind.IMPRINT,
        title_en="Imprint",
        body_en="## Provider\n\nSomeone e.V.",
        updated_on=date(2026, 1, 2),
    )
    belarusian = Client().get(IMPRINT.format("be")).content.decode()
    assert '<div class="legal-page__text" lang="en">' in belarusian
    assert "Someone e.V." in belarusian
    english = Client().get(IMPRINT.format("en")).content.decode()
    assert 'lang="en">' not in english.split('<main id="main"', 1)[1]


def test_a_page_nobody_has_written_is_not_found():
    assert Client().get(POLICY.format("en")).status_code == 404


# Real commits: the page cache learns of an edit when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_organisers_edit_each_language_in_the_admin(client):
    page = LegalPage.objects.create(
        kind=LegalPage.Kind.PRIVACY,
        title_en="Privacy policy",
        body_en="## Who\n\nUs.",
        updated_on=date(2026, 1, 2),
    )
    visitor = Client()
    assert "Us." in visitor.get(POLICY.format("ru")).content.decode()
    login_verified(client, make_staff("organiser"))
    url = f"/admin/campaigns/legalpage/{page.pk}/change/"
    form = client.get(url).content.decode()
    for language in LANGUAGES:
        assert f'name="body_{language}"' in form
    response = client.post(
        url,
        {
            "kind": "privacy",
            "title_en": "Privacy policy",
            "title_ru": "Политика конфиденциальности",
            "body_en": "## Who\n\nUs.",
            "body_ru": "## Кто\n\nМы, и храним {unconfirmed_days} дн.",
            "updated_on": "2026-02-03",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    russian = visitor.get(POLICY.format("ru")).content.decode()
    assert "<h2>Кто</h2>" in russian and "Мы, и храним 7 дн." in russian
    assert "Политика конфиденциальности" in russian
    assert "Us." not in russian
