"""A supporter from a country without a recipient of its own meets what the organisers set
for the action, never a page that only says sorry: the fallback targets, the organisers who
forward the letter, or the letter to print and post."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from picketline.letters.admin import LetterActionForm
from picketline.letters.models import Letter, LetterAction, Role
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent, Supporter
from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import confirm_url, embassy_action, form_data, target
from tests.letters.test_letter_flow import send_everything

pytestmark = pytest.mark.django_db

SORRY = "no recipient for your country yet, sorry"


def url(action, **query):
    path = reverse("letters:action", kwargs={"slug": action.slug})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_fallback_targets_receive_it(client):
    action = embassy_action(
        ministry=target("Ministry of Foreign Affairs", "BY", Role.FOREIGN_MINISTRY)
    )
    page = client.get(url(action, country="SE")).content.decode()
    assert "From Sweden your letter goes to:" in page
    assert "Ministry of Foreign Affairs" in page


def test_the_organisers_receive_it_to_forward(client, smtp_server):
    office = target("Campaign office", "DE", Role.OTHER, emails=["office@example.org"])
    action = embassy_action(ministry=office, when_no_recipient=LetterAction.WhenNoRecipient.FORWARD)
    page = client.get(url(action, country="SE")).content.decode()
    assert "We know of no recipient in Sweden yet." in page
    assert "Your letter goes to the organisers, who forward it:" in page
    assert "Campaign office" in page

    response = client.post(url(action), form_data(country="SE", email="sven@example.net"))
    assert response.status_code == 302
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    assert len(smtp_server.to("office@example.org")) == 1


def post_action():
    presidency = target(
        "Administration of the President",
        "BY",
        Role.HEAD_OF_STATE,
        emails=["admin@example.org"],
        postal_address="Karl Marx St. 38\n220016 Minsk\nBelarus",
    )
    return embassy_action(ministry=presidency, when_no_recipient=LetterAction.WhenNoRecipient.POST)


def test_the_supporter_prints_and_posts_it(client):
    action = post_action()
    page = client.get(url(action, country="SE")).content.decode()
    assert "No recipient takes letters from Sweden by e-mail yet." in page
    assert "220016 Minsk" in page
    assert SORRY not in page
    # The form keeps the country and asks for no address, and offers nothing that would need
    # one: no sending in the writer's name, no copy, no news.
    assert '<option value="SE" selected>' in page
    form = page.split('method="post"')[1]
    assert 'name="email"' not in form and 'name="send_copy"' not in form
    assert 'name="consent_' not in form
    assert "We keep your name and address encrypted" not in form

    # Neither an address nor the consent to send in one's name is needed: nothing is sent.
    data = form_data(country="SE", email="", consent_send_in_my_name=None, name="Sven Berg")
    preview = client.post(url(action), {**data, "step": "preview"}).content.decode()
    assert "This is the letter you print, one page for each address." in preview
    assert 'value="pdf"' in preview and 'value="send"' not in preview
    assert "Dear Administration of the President" in preview

    response = client.post(url(action), {**data, "step": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sven Berg" in text and "220016 Minsk" in text
    assert not (
        Supporter.objects.exists()
        or Letter.objects.exists()
        or Consent.objects.exists()
        or OutgoingMessage.objects.exists()
    )


def test_a_letter_to_post_never_goes_by_e_mail(client):
    action = post_action()
    response = client.post(url(action), form_data(country="SE", step="send"))
    assert response.status_code == 200
    assert not Letter.objects.exists()


def test_a_country_with_its_own_recipient_is_unchanged(client):
    target("Embassy of Belarus in Sweden", "SE", emails=["embassy.se@example.org"])
    action = post_action()
    page = client.get(url(action, country="SE")).content.decode()
    assert "From Sweden your letter goes to:" in page and "Print your letter" not in page


def admin_data(action, **changes):
    data = {
        "slug": action.slug,
        "title": action.title,
        "title_en": action.title,
        "targeting": LetterAction.Targeting.COUNTRY_ROLE,
        "roles": Role.EMBASSY_OF_BELARUS,
        "when_no_recipient": LetterAction.WhenNoRecipient.FALLBACK,
        "edit_policy": action.edit_policy,
        "sending_policy": action.sending_policy,
        "max_per_hour": 20,
        "window_start": "09:00",
        "window_end": "17:00",
        "sort_order": 0,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_organisers_cannot_leave_a_country_without_an_answer():
    action = post_action()
    ministry = target("Ministry", "BY", Role.FOREIGN_MINISTRY)  # no postal address

    form = LetterActionForm(admin_data(action), instance=action)
    assert not form.is_valid()
    assert "fallback_targets" in form.errors

    form = LetterActionForm(
        admin_data(
            action,
            fallback_targets=[ministry.pk],
            when_no_recipient=LetterAction.WhenNoRecipient.POST,
        ),
        instance=action,
    )
    assert not form.is_valid()
    assert "postal address" in str(form.errors["fallback_targets"])

    form = LetterActionForm(admin_data(action, fallback_targets=[ministry.pk]), instance=action)
    assert form.is_valid(), form.errors


def test_letters_to_post_have_no_fixed_targets_by_e_mail():
    class WithFixedTargets(LetterActionForm):  # as the admin builds it, from its fieldsets
        class Meta(LetterActionForm.Meta):
            fields = [*LetterActionForm.Meta.fields, "fixed_targets"]

    action = post_action()
    president = target("President", "BY", Role.HEAD_OF_STATE)
    fallback = [t.pk for t in action.fallback_targets.all()]
    post = LetterAction.WhenNoRecipient.POST
    form = WithFixedTargets(
        admin_data(action, fallback_targets=fallback, when_no_recipient=post), instance=action
    )
    assert form.is_valid(), form.errors
    form = WithFixedTargets(
        admin_data(
            action, fallback_targets=fallback, when_no_recipient=post, fixed_targets=[president.pk]
        ),
        instance=action,
    )
    assert not form.is_valid()
    assert "when_no_recipient" in form.errors


def test_writing_the_pdf_is_rate_limited(client, settings):
    settings.SUPPORTERS_RATE_LIMITS = {"letters-pdf": ((2, 3600), (5, 3600))}
    action = post_action()
    data = form_data(country="SE", email="", consent_send_in_my_name=None, step="pdf")
    statuses = [client.post(url(action), data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_admin_offers_the_choice(client):
    action = post_action()
    login_verified(client, make_staff())
    page = client.get(reverse("admin:letters_letteraction_change", args=[action.pk]))
    assert 'name="when_no_recipient"' in page.content.decode()
