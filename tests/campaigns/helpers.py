"""Small builders for campaign content, in code."""

from __future__ import annotations

from datetime import date

from picketline.campaigns.models import Campaign, Contact, Hashtag, SupporterAction


def make_campaign(**fields) -> Campaign:
    values = {
        "slug": "free-unionists",
        "title_en": "Union work is no crime",
        "title_ru": "Профсоюзная работа — не преступление",
        "slogan_en": "Free them all",
        "summary_en": "A campaign for jailed trade unionists.",
        "starts_on": date(2024, 3, 19),
        "ends_on": date(2024, 4, 22),
        "time_zone": "Europe/Berlin",
        "day_of_action_on": date(2024, 4, 19),
        "day_of_action_title_en": "Day of Action",
        "is_current": True,
    }
    values.update(fields)
    return Campaign.objects.create(**values)


def make_action(campaign: Campaign, slug: str = "write", **fields) -> SupporterAction:
    values = {
        "kind": SupporterAction.Kind.RELEASE_LETTER,
        "title_en": "Write to the government",
        "summary_en": "Ask for the release of the prisoners.",
        "body_en": "First paragraph.\n\nSecond paragraph.",
        "cta_label_en": "Write a letter",
        "destination": "letters/release/",
    }
    values.update(fields)
    return SupporterAction.objects.create(campaign=campaign, slug=slug, **values)


def make_hashtag(campaign: Campaign, text: str = "FreeBelarusUnionists") -> Hashtag:
    return Hashtag.objects.create(campaign=campaign, text=text)


def make_contact(campaign: Campaign, **fields) -> Contact:
    values = {"name_en": "Ada Example", "role_en": "Press", "phone": "+4915203268972"}
    values.update(fields)
    return Contact.objects.create(campaign=campaign, **values)
