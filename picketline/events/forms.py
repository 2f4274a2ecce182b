from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from picketline.events import gazetteer
from picketline.events.gazetteer import City
from picketline.events.models import HostedAction
from picketline.lib.zones import known_time_zones, zones_of_country
from picketline.supporters.forms import SupporterFields
from picketline.supporters.models import DangerousCountry
from picketline.supporters.safety import CountryAsked
from picketline.web.moments import moment_text
from picketline.web.uploads import FilesNotKept
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
        if zone not in known_time_zones() or in_a_dangerous_country(zone):
            # Our script sends it unasked: a zone that would place the registrant in a country
            # marked as dangerous, which they never said they are in, is not kept.
            return ""
        return zone

    def event_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("organisation", "interpretation_needs", "accessibility_needs")]

    def fields_in_page_order(self) -> list[forms.BoundField]:
        return [*self.supporter_fields(), *self.consent_fields(), *self.event_fields()]


def in_a_dangerous_country(zone: str) -> bool:
    """Do the clocks of a country marked as dangerous follow ``zone``?"""
    return any(zone in zones_of_country(code) for code in DangerousCountry.objects.codes())


class CityField(forms.CharField):
    """A city of the gazetteer (``events.gazetteer``), typed in any of the site's languages or
    picked from the list the page offers; cleans to a ``City``."""

    widget = forms.TextInput(attrs={"list": "gazetteer-cities", "autocomplete": "off"})

    def clean(self, value: object) -> City:
        query = super().clean(value)
        found = gazetteer.search(query)
        if len(found) == 1:
            return found[0]
        language = (get_language() or "en")[:2]
        if not found:
            raise forms.ValidationError(
                _(
                    "We do not know a city called “%(query)s”. Please choose one from the "
                    "list, or the nearest larger city."
                ),
                params={"query": query},
                code="unknown_city",
            )
        raise forms.ValidationError(
            _("Several cities match “%(query)s”: %(cities)s. Please write one as shown."),
            params={"query": query, "cities": "; ".join(c.label(language) for c in found[:8])},
            code="ambiguous_city",
        )


class HostedActionForm(SupporterFields):
    # The city's country is published with the action, on the list and the map.
    countries_asked = (
        CountryAsked(
            "city",
            _(
                "An action in %(country)s announced on this site puts its host and everyone "
                "who comes in danger, so we list no action there."
            ),
            may_go_on=False,
        ),
    )

    title = forms.CharField(label=_("What are you planning?"), max_length=200)
    description = forms.CharField(
        label=_("A few words for the public page (optional)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # The place gives the country, the point on the map and the time zone: asked once.
    city = CityField(
        label=_("City"),
        max_length=100,
        help_text=_(
            "Type the name and choose from the list. Your city is not there? Choose the "
            "nearest larger one and say where exactly below."
        ),
    )
    place = forms.CharField(
        label=_("Where exactly?"),
        max_length=300,
        help_text=_("e.g. in front of the Belarusian embassy, with the street address"),
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
    expected_size = forms.IntegerField(
        label=_("How many people do you expect?"), min_value=1, max_value=100000
    )
    contact = forms.CharField(
        label=_("How can the organisers reach you? (private)"),
        max_length=300,
        help_text=_("A phone number or messenger handle. Never shown publicly."),
    )

    def build_fields(self) -> None:
        super().build_fields()
        # The action's city says where; the host's own country is not asked as well.
        del self.fields["country"]

    def supporter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "email", "language")]

    def country_given(self, field: str) -> str:
        city = self.cleaned_data.get(field)
        return city.country if isinstance(city, City) else ""

    def action_fields(self) -> list[forms.BoundField]:
        names = [
            "title",
            "description",
            "city",
            "place",
            "starts_at",
            "ends_at",
            "expected_size",
            "contact",
        ]
        return [self[n] for n in names]

    def clean(self) -> dict:
        data = super().clean()
        city, starts, ends = data.get("city"), data.get("starts_at"), data.get("ends_at")
        if city and starts and ends:
            # The times were typed as the wall-clock time of the place.
            zone = ZoneInfo(city.time_zone)
            data["starts_at"] = starts.replace(tzinfo=None).replace(tzinfo=zone)
            data["ends_at"] = ends.replace(tzinfo=None).replace(tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends_at", _("The action must end after it starts."))
        return data

    def place_fields(self) -> dict:
        """The hosted action's fields that follow from the chosen city."""
        city = self.cleaned_data["city"]
        return {
            "country": city.country,
            "city": city.name("en"),
            "latitude": city.latitude,
            "longitude": city.longitude,
            "time_zone": city.time_zone,
        }


class ReportForm(FilesNotKept, forms.Form):
    MAX_PHOTOS = 4

    participants = forms.IntegerField(
        label=_("How many people took part?"), min_value=0, max_value=1000000
    )
    text = forms.CharField(
        label=_("What happened? (a short text for the public page)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, hosted: HostedAction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hosted = hosted
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

    def clean(self) -> dict:
        data = super().clean()
        if not self.hosted.has_taken_place():
            raise forms.ValidationError(
                _("A report can be sent once the action has taken place, from %(start)s."),
                params={"start": moment_text(self.hosted.takes_place_at(), self.hosted.time_zone)},
                code="too_early",
            )
        return data


class MessageForm(forms.Form):
    """A message to an event's registrants, with a version per language: each registrant
    gets the one in their language, or the English one where none was written."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, name in self.other_languages():
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject in %(language)s") % {"language": name},
                max_length=200,
                required=False,
            )
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": name},
                max_length=10000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        self.fields["subject"].label = _("Subject in English")
        self.fields["text"].label = _("Message in English")
        self.fields["text"].help_text = _(
            "Everyone whose language has no version of its own below gets this one."
        )
        refuse_control_characters(self.fields)

    @staticmethod
    def other_languages() -> list[tuple[str, str]]:
        from django.conf import settings

        return [(code, name) for code, name in settings.LANGUAGES if code != "en"]

    def clean(self) -> dict:
        data = super().clean()
        for code, _name in self.other_languages():
            subject, text = data.get(f"subject_{code}"), data.get(f"text_{code}")
            if subject and not text:
                self.add_error(f"text_{code}", _("Write the message too, or leave both empty."))
            if text and not subject:
                self.add_error(f"subject_{code}", _("Give a subject too, or leave both empty."))
        return data

    def version_for(self, language: str) -> tuple[str, str]:
        """(subject, text) for a reader of ``language``."""
        data = self.cleaned_data
        code = (language or "en").split("-")[0]
        if code != "en" and data.get(f"subject_{code}") and data.get(f"text_{code}"):
            return data[f"subject_{code}"], data[f"text_{code}"]
        return data["subject"], data["text"]

    def language_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in pairs by language, for the template."""
        groups = [(str(_("English")), [self["subject"], self["text"]])]
        for code, name in self.other_languages():
            groups.append((str(name), [self[f"subject_{code}"], self[f"text_{code}"]]))
        return groups


class HostMessageForm(forms.Form):
    """What the host of a supporter-held action writes to those who signed up: plain text,
    short, in the host's own words (not translated)."""

    subject = forms.CharField(label=_("Subject"), max_length=150)
    text = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, at most 2,000 characters."),
    )

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
