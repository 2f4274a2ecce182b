"""The demo's events: the 2024 online meeting, the Berlin street action, and actions supporters
hold in front of Belarusian embassies. Facts from the campaign page of 2024, our own words.

Running ``load`` twice changes nothing: rows are found by their slugs and updated.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from picketline.campaigns.demo import SLUG as CAMPAIGN_SLUG
from picketline.campaigns.models import Campaign
from picketline.events.models import Event, HostedAction
from picketline.lib.demo_dates import DemoDates

# The campaign page gives the online meeting's time (09:30–11:00) without a zone. Its organisers,
# the ITUC and the ETUC, work from Brussels, so we read the time as Brussels time.
MEETING_ZONE = ZoneInfo("Europe/Brussels")
BERLIN = ZoneInfo("Europe/Berlin")

# Neither address below is real: the campaign page published no stream and (rightly) no join
# link. example.org is reserved for examples, so the demo can never send anyone anywhere.
DEMO_JOIN_URL = "https://meet.example.org/belarus-day-of-action"
DEMO_STREAM_URL = "https://stream.example.org/salidarnast-berlin"
DEMO_PLAYER_URL = "https://stream.example.org/embed/salidarnast-berlin"


def tr(field: str, en: str, ru: str, be: str, de: str) -> dict[str, str]:
    return {f"{field}_en": en, f"{field}_ru": ru, f"{field}_be": be, f"{field}_de": de}


def load(dates: DemoDates) -> None:
    campaign = Campaign.objects.filter(slug=CAMPAIGN_SLUG).first()
    meeting_start = dates.moment(datetime(2024, 4, 19, 9, 30, tzinfo=MEETING_ZONE))
    Event.objects.update_or_create(
        slug="online-meeting-day-of-action",
        defaults={
            "campaign": campaign,
            "kind": Event.Kind.ONLINE,
            "starts_at": meeting_start,
            "ends_at": dates.moment(datetime(2024, 4, 19, 11, 0, tzinfo=MEETING_ZONE)),
            "time_zone": "Europe/Brussels",
            "languages": "en,ru",
            "capacity": 300,
            "registration_required": True,
            "registration_closes_at": meeting_start,
            "join_url": DEMO_JOIN_URL,
            "published": True,
            **MEETING_TEXT,
        },
    )
    Event.objects.update_or_create(
        slug="berlin-street-action",
        defaults={
            "campaign": campaign,
            "kind": Event.Kind.IN_PERSON,
            "starts_at": dates.moment(datetime(2024, 4, 19, 12, 30, tzinfo=BERLIN)),
            "ends_at": dates.moment(datetime(2024, 4, 19, 13, 30, tzinfo=BERLIN)),
            "time_zone": "Europe/Berlin",
            "languages": "de,en,ru,be",
            "address": "Pariser Platz\n10117 Berlin",
            "country": "DE",
            "latitude": Decimal("52.516300"),
            "longitude": Decimal("13.378900"),
            "registration_required": False,
            "broadcast_url": DEMO_STREAM_URL,
            "broadcast_embed_url": DEMO_PLAYER_URL,
            "published": True,
            **STREET_TEXT,
        },
    )

    for hosted in HOSTED:
        load_hosted(dates, campaign, hosted)


def load_hosted(dates: DemoDates, campaign: Campaign | None, hosted: dict) -> None:
    """A supporter-hosted action, already approved. Demo hosts are nobody: no supporter row,
    no contact, so the demo holds no personal data of anyone."""
    zone = ZoneInfo(hosted["time_zone"])
    starts_at = dates.moment(datetime(2024, 4, 19, *hosted["start"], tzinfo=zone))
    ends_at = dates.moment(datetime(2024, 4, 19, *hosted["end"], tzinfo=zone))
    event, _ = Event.objects.update_or_create(
        slug=hosted["slug"],
        defaults={
            "campaign": campaign,
            "kind": Event.Kind.IN_PERSON,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": hosted["time_zone"],
            "languages": hosted["languages"],
            "address": hosted["address"],
            "country": hosted["country"],
            "latitude": hosted["latitude"],
            "longitude": hosted["longitude"],
            "registration_required": True,
            "published": True,
            **hosted["text"],
        },
    )
    HostedAction.objects.update_or_create(
        event=event,
        defaults={
            "supporter": None,
            "status": HostedAction.Status.APPROVED,
            "title": event.title_en,
            "description": event.description_en,
            "country": hosted["country"],
            "city": hosted["city"],
            "place": event.venue_name_en,
            "latitude": hosted["latitude"],
            "longitude": hosted["longitude"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": hosted["time_zone"],
            "expected_size": hosted["expected_size"],
            "contact": "",
            "language": "en",
            "confirmed_at": starts_at - timedelta(days=14),
            "decided_at": starts_at - timedelta(days=13),
        },
    )


# Two embassies from the research file (picketline/registers/data/belarus-unions-research.json):
# - Washington: 1619 New Hampshire Avenue N.W. (sources: ru.wikipedia snapshot 2025,
#   perceptiopt.com, eng.belta.by); the coordinates are those of that block near Dupont Circle.
# - The Hague: the research found no street address (FNV picketed the embassy on
#   20 Dec 2022, per salidarnast.info), so the place names the embassy only and the pin sits
#   on the city centre.
HOSTED = [
    {
        "slug": "picket-washington-embassy",
        "city": "Washington, D.C.",
        "country": "US",
        "address": "1619 New Hampshire Avenue N.W.\nWashington, D.C.",
        "latitude": Decimal("38.911400"),
        "longitude": Decimal("-77.039500"),
        "time_zone": "America/New_York",
        "start": (12, 0),
        "end": (13, 0),
        "languages": "en",
        "expected_size": 20,
        "text": {
            **tr(
                "title",
                "Picket at the Belarusian embassy in Washington",
                "Пикет у посольства Беларуси в Вашингтоне",
                "Пікет каля пасольства Беларусі ў Вашынгтоне",
                "Mahnwache vor der belarussischen Botschaft in Washington",
            ),
            **tr(
                "description",
                "Union members from the D.C. area hold a lunchtime picket on the Day of Action. "
                "We will read out the names of the jailed trade unionists. Signs are provided.",
                "Члены профсоюзов из округа Колумбия проводят пикет в обеденный перерыв в День "
                "действий. Мы зачитаем имена заключённых профсоюзных активистов. Плакаты будут.",
                "Члены прафсаюзаў з акругі Калумбія праводзяць пікет у абедзенны перапынак у "
                "Дзень дзеянняў. Мы зачытаем імёны зняволеных прафсаюзных актывістаў. Плакаты "
                "будуць.",
                "Gewerkschaftsmitglieder aus dem Raum Washington halten am Aktionstag in der "
                "Mittagspause eine Mahnwache. Wir verlesen die Namen der inhaftierten "
                "Gewerkschafter. Schilder sind vorhanden.",
            ),
            **tr(
                "venue_name",
                "In front of the Embassy of Belarus",
                "Перед посольством Беларуси",
                "Перад пасольствам Беларусі",
                "Vor der Botschaft von Belarus",
            ),
        },
    },
    {
        "slug": "vigil-the-hague-embassy",
        "city": "The Hague",
        "country": "NL",
        "address": "The Hague",
        "latitude": Decimal("52.070500"),
        "longitude": Decimal("4.300700"),
        "time_zone": "Europe/Amsterdam",
        "start": (17, 30),
        "end": (18, 30),
        "languages": "nl,en",
        "expected_size": 35,
        "text": {
            **tr(
                "title",
                "Vigil for Belarusian unionists in The Hague",
                "Акция солидарности с белорусскими профсоюзниками в Гааге",
                "Акцыя салідарнасці з беларускімі прафсаюзнікамі ў Гаазе",
                "Mahnwache für belarussische Gewerkschafter in Den Haag",
            ),
            **tr(
                "description",
                "An evening vigil with candles outside the Belarusian embassy, organised by "
                "union members in the Netherlands. Everyone is welcome.",
                "Вечерняя акция со свечами у посольства Беларуси, которую организуют члены "
                "профсоюзов в Нидерландах. Приглашаются все.",
                "Вячэрняя акцыя са свечкамі каля пасольства Беларусі, якую арганізуюць члены "
                "прафсаюзаў у Нідэрландах. Запрашаюцца ўсе.",
                "Eine abendliche Mahnwache mit Kerzen vor der belarussischen Botschaft, "
                "organisiert von Gewerkschaftsmitgliedern in den Niederlanden. Alle sind "
                "willkommen.",
            ),
            **tr(
                "venue_name",
                "Outside the Embassy of Belarus",
                "У посольства Беларуси",
                "Каля пасольства Беларусі",
                "Vor der Botschaft von Belarus",
            ),
        },
    },
]

MEETING_TEXT = {
    **tr(
        "title",
        "Online meeting: Belarusian trade unionists behind bars",
        "Онлайн-встреча: белорусские профсоюзные активисты за решёткой",
        "Анлайн-сустрэча: беларускія прафсаюзныя актывісты за кратамі",
        "Online-Treffen: Belarussische Gewerkschafter hinter Gittern",
    ),
    **tr(
        "description",
        "On the Day of Action for trade union rights and democracy in Belarus, the ITUC and the "
        "ETUC bring unions from many countries together online. We will hear how the jailed "
        "union leaders are doing, and agree what each of us can do next.\n\n"
        "The meeting is held in English and Russian. Register to receive the link to join.",
        "В День действий за профсоюзные права и демократию в Беларуси МКП и ЕКП собирают онлайн "
        "профсоюзы из многих стран. Мы узнаем, как обстоят дела у заключённых профсоюзных "
        "лидеров, и договоримся, что каждый из нас может сделать дальше.\n\n"
        "Встреча проходит на английском и русском языках. Зарегистрируйтесь, чтобы получить "
        "ссылку для подключения.",
        "У Дзень дзеянняў за прафсаюзныя правы і дэмакратыю ў Беларусі МКП і ЕКП збіраюць "
        "анлайн прафсаюзы з многіх краін. Мы даведаемся, як маюцца зняволеныя прафсаюзныя "
        "лідары, і дамовімся, што кожны з нас можа зрабіць далей.\n\n"
        "Сустрэча праходзіць на англійскай і рускай мовах. Зарэгіструйцеся, каб атрымаць "
        "спасылку для падключэння.",
        "Am Aktionstag für Gewerkschaftsrechte und Demokratie in Belarus bringen IGB und EGB "
        "Gewerkschaften aus vielen Ländern online zusammen. Wir hören, wie es den inhaftierten "
        "Gewerkschaftsführern geht, und verabreden, was jede und jeder von uns als Nächstes "
        "tun kann.\n\n"
        "Das Treffen findet auf Englisch und Russisch statt. Melden Sie sich an, um den "
        "Zugangslink zu erhalten.",
    ),
    **tr(
        "interpretation",
        "English ↔ Russian",
        "английский ↔ русский",
        "англійская ↔ руская",
        "Englisch ↔ Russisch",
    ),
}

STREET_TEXT = {
    **tr(
        "title",
        "Protest in Berlin at the Brandenburg Gate",
        "Акция протеста в Берлине у Бранденбургских ворот",
        "Акцыя пратэсту ў Берліне каля Брандэнбургскай брамы",
        "Protest in Berlin am Brandenburger Tor",
    ),
    **tr(
        "description",
        "Salidarnast e.V. marks the Day of Action with a gathering on Pariser Platz, right by "
        "the Brandenburg Gate. Come for the hour, bring a sign, and stand with the union "
        "members imprisoned in Belarus. No registration needed.\n\n"
        "If you cannot come, follow the live broadcast.",
        "Salidarnast e.V. отмечает День действий собранием на Парижской площади, прямо у "
        "Бранденбургских ворот. Приходите на этот час, возьмите плакат и поддержите членов "
        "профсоюзов, заключённых в Беларуси. Регистрация не нужна.\n\n"
        "Если не можете прийти, смотрите прямую трансляцию.",
        "Salidarnast e.V. адзначае Дзень дзеянняў сходам на Парыжскай плошчы, побач з "
        "Брандэнбургскай брамай. Прыходзьце на гэтую гадзіну, вазьміце плакат і падтрымайце "
        "членаў прафсаюзаў, зняволеных у Беларусі. Рэгістрацыя не патрэбна.\n\n"
        "Калі не можаце прыйсці, глядзіце прамую трансляцыю.",
        "Salidarnast e.V. begeht den Aktionstag mit einer Kundgebung auf dem Pariser Platz, "
        "direkt am Brandenburger Tor. Kommen Sie für die Stunde, bringen Sie ein Schild mit "
        "und stehen Sie an der Seite der in Belarus inhaftierten Gewerkschaftsmitglieder. "
        "Keine Anmeldung nötig.\n\n"
        "Wer nicht kommen kann, verfolgt die Live-Übertragung.",
    ),
    **tr(
        "venue_name",
        "Pariser Platz, by the Brandenburg Gate",
        "Парижская площадь, у Бранденбургских ворот",
        "Парыжская плошча, каля Брандэнбургскай брамы",
        "Pariser Platz, am Brandenburger Tor",
    ),
}
