"""The three submission forms, built on the supporters' ``SupporterFields``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from picketline.campaigns.models import Campaign
from picketline.lib.zones import latest_date_in, zones_of_country
from picketline.registers.models import Company
from picketline.submissions import media
from picketline.submissions.captions import read_uploaded_webvtt
from picketline.submissions.models import (
    ActionReport,
    Endorsement,
    VideoMessage,
    normalise_hashtags,
)
from picketline.supporters.forms import SupporterFields, consent_wording, consent_wording_lazy
from picketline.supporters.models import ConfirmableAction, Consent, Supporter
from picketline.supporters.safety import PERSONAL, CountryAsked, is_dangerous
from picketline.web.countries import CountryField, country_name
from picketline.web.uploads import FilesNotKept
from picketline.web.validators import refuse_control_characters, sane_date


def _megabytes(n: int) -> int:
    return n // 1_000_000


class VideoForm(FilesNotKept, SupporterFields):
    offered_consents = [Consent.Purpose.ORGANISER_UPDATES]
    # A face and a voice are shown to everyone: the sender decides, once warned of that and,
    # as on every form that takes an address, of the mails.
    countries_asked = (
        CountryAsked(
            "country",
            format_lazy(
                "{} {}",
                PERSONAL,
                _(
                    "Your video shows your face and voice to everyone, the authorities in "
                    "%(country)s too, and copies others make stay after it comes down. We never "
                    "show it with %(country)s next to it."
                ),
            ),
        ),
    )

    video = forms.FileField(
        label=_("Your video"),
        required=False,
        help_text=_("MP4, WebM or QuickTime (MOV)."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/quicktime"}),
    )
    link = forms.URLField(
        label=_("…or a link to a public post with your video"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    text = forms.CharField(
        label=_("A short message (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    captions = forms.FileField(
        label=_("Captions (optional)"),
        required=False,
        help_text=_(
            "A WebVTT file (.vtt) with what you say, so that people who cannot hear it can read "
            "it. If you have none, a moderator may write captions for your video."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    hashtags = forms.CharField(label=_("Hashtags"), required=False, max_length=300)
    display_name = forms.ChoiceField(
        label=_("Show my video with"),
        choices=VideoMessage.DisplayName.choices,
        initial=VideoMessage.DisplayName.FIRST_AND_COUNTRY,
        widget=forms.RadioSelect,
    )
    face_voice = forms.BooleanField(label=consent_wording_lazy(Consent.Purpose.PUBLISH_FACE_VOICE))

    def __init__(self, *args: Any, upload_refused: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused
        limit = _megabytes(settings.SUBMISSIONS_VIDEO_MAX_BYTES)
        self.fields["video"].help_text = _(
            "MP4, WebM or QuickTime (MOV), at most %(limit)d MB."
        ) % {"limit": limit}
        # Not optional when the video is to be shown with the first name and country.
        self.fields["country"].label = _("Country")
        self.fields["country"].help_text = _(
            "Needed if your video is shown with your first name and country."
        )
        self.video_info: media.VideoInfo | None = None

    def clean_video(self):
        upload = self.cleaned_data.get("video")
        if self.upload_refused:
            raise ValidationError(
                _(
                    "The video is larger than %(limit)d MB. Please shorten it, or put it on a "
                    "public site and give us the link instead."
                )
                % {"limit": _megabytes(settings.SUBMISSIONS_VIDEO_MAX_BYTES)}
            )
        if upload is None:
            return None
        if not hasattr(upload, "temporary_file_path"):
            raise ValidationError(_("The upload did not arrive completely. Please try again."))
        from pathlib import Path

        try:
            self.video_info = media.inspect_video(Path(upload.temporary_file_path()))
        except media.MediaRefused as exc:
            raise ValidationError(str(exc)) from None
        return upload

    def clean_hashtags(self) -> str:
        return normalise_hashtags(self.cleaned_data.get("hashtags", ""))

    def clean_captions(self) -> str:
        upload = self.cleaned_data.get("captions")
        return read_uploaded_webvtt(upload) if upload else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.get("video") and not data.get("video") and not data.get("link"):
            raise ValidationError(_("Please upload a video or give a link to one."))
        if data.get("video") and data.get("link"):
            raise ValidationError(_("Please either upload a video or give a link, not both."))
        if (
            data.get("display_name") == VideoMessage.DisplayName.FIRST_AND_COUNTRY
            and not (data.get("country") or "").strip()
        ):
            self.add_error(
                "country", _("Please give your country, or choose another way to show your video.")
            )
        if data.get("display_name") == VideoMessage.DisplayName.FIRST_AND_COUNTRY and is_dangerous(
            data.get("country")
        ):
            self.add_error(
                "display_name",
                _(
                    "We never show a video with %(country)s next to it: please choose another "
                    "way to show yours."
                )
                % {"country": country_name(data["country"])},
            )
        return data

    def consents_given(
        self,
        supporter: Supporter,
        request: HttpRequest,
        action: ConfirmableAction | None = None,
    ) -> list[Consent]:
        """The ticked boxes, and the one box this form requires: showing face and voice."""
        given = super().consents_given(supporter, request, action)
        if self.cleaned_data.get("face_voice"):
            purpose = Consent.Purpose.PUBLISH_FACE_VOICE
            shown_in = (get_language() or settings.LANGUAGE_CODE)[:8]
            wording = consent_wording(purpose)
            given.append(
                Consent.given(supporter, purpose, wording, shown_in, request.path, action=action)
            )
        return given

    def public_name(self) -> tuple[str, str]:
        """The name to show and the code of the country to show with it."""
        data = self.cleaned_data
        choice = data["display_name"]
        if choice == VideoMessage.DisplayName.FULL:
            return data.get("name", "").strip(), ""
        if choice == VideoMessage.DisplayName.FIRST_AND_COUNTRY:
            first = (data.get("name", "").split() or [""])[0]
            return first, data.get("country", "")
        return "", ""


class ImageUploadMixin:
    def _image(self, upload, *, max_side: int, keep_alpha: bool) -> media.CleanImage:
        try:
            return media.clean_image(
                upload,
                max_bytes=settings.SUBMISSIONS_IMAGE_MAX_BYTES,
                max_side=max_side,
                keep_alpha=keep_alpha,
            )
        except media.MediaRefused as exc:
            raise ValidationError(str(exc)) from None


def _image_too_large() -> ValidationError:
    return ValidationError(
        _("The picture is larger than %(size)d MB.")
        % {"size": _megabytes(settings.SUBMISSIONS_IMAGE_MAX_BYTES)}
    )


class EndorsementForm(FilesNotKept, ImageUploadMixin, SupporterFields):
    offered_consents = [Consent.Purpose.ORGANISER_UPDATES]
    # The contact's own country stays private; the organisation's is published with its name.
    countries_asked = (
        CountryAsked("country", PERSONAL),
        CountryAsked(
            "org_country",
            _(
                "An organisation in %(country)s that stands publicly behind this campaign "
                "puts its members in danger, so we publish no endorsement from %(country)s."
            ),
            may_go_on=False,
        ),
    )

    organisation = forms.CharField(label=_("Name of the organisation"), max_length=200)
    org_country = CountryField(label=_("Country of the organisation"))
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=Endorsement.Kind.choices)
    members = forms.IntegerField(
        label=_("Number of members (optional)"), required=False, min_value=1, max_value=500_000_000
    )
    org_website = forms.URLField(
        label=_("Website (optional)"), required=False, max_length=300, assume_scheme="https"
    )
    statement = forms.CharField(
        label=_("Your statement (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    logo = forms.FileField(
        label=_("Logo (optional)"),
        required=False,
        help_text=_("PNG, JPEG or WebP. We store a fresh copy without any metadata."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    contact_role = forms.CharField(
        label=_("Your role in the organisation (optional, not published)"),
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, upload_refused: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused
        self.logo_image: media.CleanImage | None = None
        self.fields["name"].label = _("Your name (the contact person; not published)")
        self.fields["email"].label = _(
            "Your e-mail address (not published; we send a link to confirm)"
        )

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if self.upload_refused:
            raise _image_too_large()
        if upload:
            self.logo_image = self._image(upload, max_side=600, keep_alpha=True)
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _photos_label() -> str:
    # Formatted when shown, in the reader's language (not once, in English, at import).
    return gettext("Photos (optional, up to %(count)d)") % {"count": ActionReport.MAX_PHOTOS}


photos_label = lazy(_photos_label, str)


def today_where_it_happened(country: str) -> date:
    """Today's date in the country of an action, so a report from Minsk just after its
    midnight or from Vancouver just before its own is judged by the local calendar. A country
    spanning several zones counts from the one where the day began first (the form names no
    city); without a country the campaign's zone decides, else the site's."""
    now = timezone.now()
    zones = zones_of_country(country) if country else ()
    if zones:
        return latest_date_in(zones, now)
    campaign = Campaign.objects.current()
    return campaign.today() if campaign else timezone.localdate(now)


class ReportForm(FilesNotKept, ImageUploadMixin, SupporterFields):
    offered_consents = [Consent.Purpose.ORGANISER_UPDATES]
    # The reporter's own country stays private; where it happened is published.
    countries_asked = (
        CountryAsked("country", PERSONAL),
        CountryAsked(
            "report_country",
            _(
                "A public report of an action in %(country)s can put everyone who took part in "
                "danger, so we publish no report of an action there."
            ),
            may_go_on=False,
        ),
    )

    kind = forms.ChoiceField(label=_("What did you do?"), choices=ActionReport.Kind.choices)
    report_country = CountryField(label=_("Country where it happened"))
    happened_on = forms.DateField(
        validators=[sane_date],
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("YYYY-MM-DD"),
    )
    title = forms.CharField(label=_("A title"), max_length=200)
    text = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    group_name = forms.CharField(
        label=_("On behalf of (optional, published)"),
        required=False,
        max_length=200,
        help_text=_(
            "An organisation or group. Leave empty and the report is shown without a name."
        ),
    )
    register_company = forms.ModelChoiceField(
        label=_("Belarusian company, from our register"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("— not in the list —"),
    )
    company = forms.CharField(
        label=_("…or its name, if it is not in the list"),
        required=False,
        max_length=300,
        help_text=_("The Belarusian company whose products or supplies you discussed."),
    )
    business_partner = forms.CharField(
        label=_("The business partner you met"),
        required=False,
        max_length=300,
        help_text=_("The company that buys from it, sells to it or finances it."),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = MultipleFileField(
        label=photos_label(),
        required=False,
        help_text=_(
            "We remove location, camera and all other metadata. Think of faces: blur them first if needed."
        ),
    )

    def __init__(self, *args: Any, upload_refused: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused
        self.photo_images: list[media.CleanImage] = []
        self.fields["name"].label = _("Your name (not published)")
        self.fields["register_company"].queryset = Company.objects.published()

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > today_where_it_happened(self.cleaned_data.get("report_country", "")):
            raise ValidationError(_("The date is in the future."))
        return day

    def clean_photos(self):
        if self.upload_refused:
            raise ValidationError(
                _("Each photo may be at most %(size)d MB, and at most %(count)d photos.")
                % {
                    "size": _megabytes(settings.SUBMISSIONS_IMAGE_MAX_BYTES),
                    "count": ActionReport.MAX_PHOTOS,
                }
            )
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > ActionReport.MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)d photos.") % {"count": ActionReport.MAX_PHOTOS}
            )
        self.photo_images = [
            self._image(upload, max_side=1600, keep_alpha=False) for upload in uploads
        ]
        return uploads

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ActionReport.Kind.DUE_DILIGENCE and not (
            data.get("company") or data.get("register_company")
        ):
            self.add_error("company", _("Please name the company you met."))
        return data


class ChangeForm(forms.ModelForm):
    """What a supporter may still change of their own submission, through its private link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)


class ChangeVideoForm(ChangeForm):
    class Meta:
        model = VideoMessage
        fields = ["text", "hashtags"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean_hashtags(self) -> str:
        return normalise_hashtags(self.cleaned_data.get("hashtags", ""))


class ChangeEndorsementForm(ChangeForm):
    website = forms.URLField(
        label=_("Website (optional)"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Endorsement
        fields = ["organisation", "country", "kind", "members", "website", "statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}


class ChangeReportForm(ChangeForm):
    class Meta:
        model = ActionReport
        fields = ["title", "text", "group_name", "company_name", "business_partner", "outcome"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }


CHANGE_FORMS = {
    VideoMessage: ChangeVideoForm,
    Endorsement: ChangeEndorsementForm,
    ActionReport: ChangeReportForm,
}
