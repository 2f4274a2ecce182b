from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from picketline.supporters.forms import SupporterFields
from picketline.web.countries import CountryField
from picketline.web.validators import refuse_control_characters, sane_date


class RegistrationForm(SupporterFields):
    organisation = forms.CharField(
        label=_("Organisation or union (optional)"), max_length=200, required=False
    )
    interpretation_needs = forms.CharField(
        label=_("Interpretation you need (optional)"),
        max_length=300,
        required=False,
        help_text=_("e.g. into Russian"),
    )
    accessibility_needs = forms.CharField(
        label=_("Anything we should arrange so that you can take part? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the organisers."),
    )
    # Filled by the browser (static/events/events.js) so reminders show the registrant's time.
    time_zone = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-browser-zone": ""})
    )

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data.get("time_zone", "")
        return zone if zone in available_timezones() else ""

    def event_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("organisation", "interpretation_needs", "accessibility_needs")]


class HostedActionForm(SupporterFields):
    title = forms.CharField(label=_("What are you planning?"), max_length=200)
    description = forms.CharField(
        label=_("A few words for the public page (optional)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    host_country = CountryField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100)
    place = forms.CharField(
        label=_("Where exactly?"),
        max_length=300,
        help_text=_("e.g. in front of the Belarusian embassy, with the street address"),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (local time)"),
        validators=[sane_date],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (local time)"),
        validators=[sane_date],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the place"),
        choices=[(z, z) for z in sorted(available_timezones()) if "/" in z],
        initial="Europe/Berlin",
    )
    expected_size = forms.IntegerField(
        label=_("How many people do you expect?"), min_value=1, max_value=100000
    )
    contact = forms.CharField(
        label=_("How can the organisers reach you? (private)"),
        max_length=300,
        help_text=_("A phone number or messenger handle. Never shown publicly."),
    )

    def action_fields(self) -> list[forms.BoundField]:
        names = [
            "title",
            "description",
            "host_country",
            "city",
            "place",
            "latitude",
            "longitude",
            "starts_at",
            "ends_at",
            "time_zone",
            "expected_size",
            "contact",
        ]
        return [self[n] for n in names]

    def clean(self) -> dict:
        from zoneinfo import ZoneInfo

        data = super().clean()
        zone = data.get("time_zone")
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if zone and starts and ends:
            # The times were typed as the place's wall-clock time.
            data["starts_at"] = starts.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone))
            data["ends_at"] = ends.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends_at", _("The action must end after it starts."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return data


class ReportForm(forms.Form):
    MAX_PHOTOS = 4

    participants = forms.IntegerField(
        label=_("How many people took part?"), min_value=0, max_value=1000000
    )
    text = forms.CharField(
        label=_("What happened? (a short text for the public page)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"] = PhotosField(
            label=_("Photos (optional, up to 4; we remove camera and location data)"),
            required=False,
        )
        refuse_control_characters(self.fields)

    def clean_photos(self) -> list:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > self.MAX_PHOTOS:
            raise forms.ValidationError(_("Please send at most four photos."))
        return photos


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the host)"), max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field (the plain file input with ``multiple``)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []
