"""Letters on paper: the PDF prints the postal address and the letter, Cyrillic included."""

import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from picketline.accounts.models import AuditEntry
from picketline.letters import pdf, sending
from picketline.letters.models import Role
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def embassy():
    return target(
        "Посольство Республики Беларусь в Германии",
        "DE",
        Role.EMBASSY_OF_BELARUS,
        postal_address="Am Treptower Park 32\n12435 Berlin",
    )


def test_a_letter_prints_with_the_postal_address_and_cyrillic():
    action = letter_action(fixed=[embassy()])
    letter = confirmed_letter(action, name="Алесь Бяляцкі", language="ru")
    [page] = text_of(pdf.letter_pdf(letter))
    assert "Посольство Республики Беларусь в Германии" in page
    assert "Am Treptower Park 32" in page
    assert "Освободите профсоюзных активистов" in page
    assert "С уважением," in page
    assert "Алесь Бяляцкі" in page


def test_the_pdf_uses_the_fonts_shipped_with_the_package():
    action = letter_action(fixed=[embassy()])
    letter = confirmed_letter(action, language="ru")
    reader = PdfReader(io.BytesIO(pdf.letter_pdf(letter)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert names and all("Letter-Serif" in name for name in names), names  # our @font-face
    assert (pdf.FONTS_DIR / "LICENSE-DejaVu.txt").exists()


def test_the_organisers_bundle_holds_every_confirmed_letter_to_one_target(client):
    to = embassy()
    action = letter_action(fixed=[to])
    for n in range(3):
        confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    unconfirmed = confirmed_letter(action, email="late@example.net", name="Not Confirmed")
    unconfirmed.deliveries.all().delete()
    type(unconfirmed).objects.filter(pk=unconfirmed.pk).update(confirmed_at=None)

    user = User.objects.create_superuser("org", "org@example.org", "a long password 123")
    client.force_login(user)
    url = reverse("letters:target_bundle_pdf", kwargs={"action_id": action.pk, "target_id": to.pk})
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    pages = text_of(response.content)
    assert len(pages) == 3
    assert all("Am Treptower Park 32" in page for page in pages)
    assert not any("Not Confirmed" in page for page in pages)
    [entry] = AuditEntry.objects.all()
    assert (entry.username, entry.action) == ("org", AuditEntry.Action.EXPORT)
    assert "Supporter" not in entry.what


def test_the_bundle_is_for_organisers_only(client):
    to = embassy()
    action = letter_action(fixed=[to])
    url = reverse("letters:target_bundle_pdf", kwargs={"action_id": action.pk, "target_id": to.pk})
    assert client.get(url).status_code == 302
    User.objects.create_user("someone", password="a long password 123", is_staff=True)
    client.login(username="someone", password="a long password 123")
    assert client.get(url).status_code == 403


def test_the_supporter_prints_their_own_letter_from_the_link_in_the_copy(client):
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY, postal_address="Berlin")
    action = letter_action(fixed=[ministry])
    letter = confirmed_letter(action, send_copy=True)
    sending.letter_confirmed(letter)
    response = client.get(pdf.letter_pdf_url(letter).removeprefix("http://testserver"))
    assert response.status_code == 200
    [page] = text_of(response.content)
    assert "Ministry of Labour" in page
    assert "Anna Schmidt" in page


def test_a_forged_paper_link_is_not_found(client):
    response = client.get(reverse("letters:letter_pdf", kwargs={"token": "forged"}))
    assert response.status_code == 404
