"""Demo letters: Belarusian bodies and embassies, a few demo countries' officials, and the
campaign's three letter actions, with letters in English, Russian, German and Belarusian.

The embassies, with their sources, come from the research file that the registers app ships
and reads (``registers/data/belarus-unions-research.json``, through ``registers.research``). No
e-mail address of a Belarusian body or embassy was found, so every address here is at
example.org, and such targets are marked as demo entries; demo mode sends nothing off the
machine anyway.
"""

from __future__ import annotations

from datetime import time

from picketline.letters.models import LetterAction, LetterText, Role, Target, TargetAddress
from picketline.lib.demo_dates import DemoDates
from picketline.registers import research
from picketline.supporters.models import DangerousCountry
from picketline.web.countries import country_name

LANGUAGES = ("ru", "be", "de")
# The embassies' names in the letters' other languages (the research file gives English).
EMBASSY_NAMES = {
    "DE": (
        "Посольство Республики Беларусь в Федеративной Республике Германия",
        "Пасольства Рэспублікі Беларусь у Федэратыўнай Рэспубліцы Германія",
        "Botschaft der Republik Belarus in der Bundesrepublik Deutschland",
    ),
    "US": (
        "Посольство Республики Беларусь в Соединённых Штатах Америки",
        "Пасольства Рэспублікі Беларусь у Злучаных Штатах Амерыкі",
        "Botschaft der Republik Belarus in den Vereinigten Staaten von Amerika",
    ),
    "NL": (
        "Посольство Республики Беларусь в Королевстве Нидерландов",
        "Пасольства Рэспублікі Беларусь у Каралеўстве Нідэрландаў",
        "Botschaft der Republik Belarus im Königreich der Niederlande",
    ),
    "BE": (
        "Посольство Республики Беларусь в Королевстве Бельгия",
        "Пасольства Рэспублікі Беларусь у Каралеўстве Бельгія",
        "Botschaft der Republik Belarus im Königreich Belgien",
    ),
    "PL": (
        "Посольство Республики Беларусь в Республике Польша",
        "Пасольства Рэспублікі Беларусь у Рэспубліцы Польшча",
        "Botschaft der Republik Belarus in der Republik Polen",
    ),
    "GB": (
        "Посольство Республики Беларусь в Лондоне",
        "Пасольства Рэспублікі Беларусь у Лондане",
        "Botschaft der Republik Belarus in London",
    ),
    "FR": (
        "Посольство Республики Беларусь во Франции",
        "Пасольства Рэспублікі Беларусь у Францыі",
        "Botschaft der Republik Belarus in Frankreich",
    ),
}
EMBASSY = (
    "Посольство Республики Беларусь",
    "Пасольства Рэспублікі Беларусь",
    "Botschaft der Republik Belarus",
)
BODY_NAMES = {
    "president": (
        "Администрация Президента Республики Беларусь",
        "Адміністрацыя Прэзідэнта Рэспублікі Беларусь",
        "Verwaltung des Präsidenten der Republik Belarus",
    ),
    "foreign": (
        "Министерство иностранных дел Республики Беларусь",
        "Міністэрства замежных спраў Рэспублікі Беларусь",
        "Ministerium für Auswärtige Angelegenheiten der Republik Belarus",
    ),
    "labour": (
        "Министерство труда и социальной защиты Республики Беларусь",
        "Міністэрства працы і сацыяльнай абароны Рэспублікі Беларусь",
        "Ministerium für Arbeit und Sozialschutz der Republik Belarus",
    ),
}
MINSK_ADDRESS = ("Минск\nБеларусь", "Мінск\nБеларусь", "Minsk\nBelarus")
# Invented officials, named after their country in each language.
OFFICIAL_NAMES = {
    Role.GOVERNMENT: ("Правительство: {c} (демо)", "Урад: {c} (дэма)", "Regierung: {c} (Demo)"),
    Role.LABOUR_MINISTRY: (
        "Министерство труда: {c} (демо)",
        "Міністэрства працы: {c} (дэма)",
        "Arbeitsministerium: {c} (Demo)",
    ),
    Role.ILO_GOVERNMENT: (
        "Делегат правительства в МОТ: {c} (демо)",
        "Дэлегат урада ў МАП: {c} (дэма)",
        "Regierungsdelegation bei der IAO: {c} (Demo)",
    ),
    Role.ILO_EMPLOYERS: (
        "Делегат работодателей в МОТ: {c} (демо)",
        "Дэлегат працадаўцаў у МАП: {c} (дэма)",
        "Arbeitgeberdelegation bei der IAO: {c} (Demo)",
    ),
    Role.ILO_WORKERS: (
        "Делегат работников в МОТ: {c} (демо)",
        "Дэлегат работнікаў у МАП: {c} (дэма)",
        "Arbeitnehmerdelegation bei der IAO: {c} (Demo)",
    ),
}
DEMO_MARK = ("{c} (демо)", "{c} (дэма)", "{c} (Demo)")
OFFICE_NAMES = (
    "Офис кампании (пересылает ваше письмо)",
    "Офіс кампаніі (перасылае ваш ліст)",
    "Kampagnenbüro (leitet Ihren Brief weiter)",
)
ILO_DIRECTOR_NAMES = (
    "Генеральный директор Международного бюро труда",
    "Генеральны дырэктар Міжнароднага бюро працы",
    "Generaldirektor des Internationalen Arbeitsamtes",
)
ILO_OFFICE_NAMES = (
    "Международное бюро труда",
    "Міжнароднае бюро працы",
    "Internationales Arbeitsamt",
)
ILO_STREET = "4 route des Morillons\n1211 Genève 22"


def _per_language(field: str, values: tuple[str, ...]) -> dict[str, str]:
    return {f"{field}_{language}": value for language, value in zip(LANGUAGES, values, strict=True)}


COUNTRY_CODES = {
    "Germany": ("DE", "Europe/Berlin", "de"),
    "United States": ("US", "America/New_York", "en"),
    "Netherlands": ("NL", "Europe/Amsterdam", "nl,en"),
    "Belgium": ("BE", "Europe/Brussels", "fr,nl,de"),
    "Poland": ("PL", "Europe/Warsaw", "pl"),
    "United Kingdom": ("GB", "Europe/London", "en"),
    "France": ("FR", "Europe/Paris", "fr"),
}
MINSK = "Europe/Minsk"


def _target(
    name: str,
    country: str,
    role: str,
    email: str,
    *,
    zone: str,
    languages: str,
    postal: str = "",
    organisation: str = "",
    sources: str = "",
    is_demo: bool = True,
    translations: dict[str, str] | None = None,
) -> Target:
    target, _ = Target.objects.update_or_create(
        name=name,
        country=country,
        defaults={
            **(translations or {}),
            "name_en": name,
            "organisation_en": organisation,
            "postal_address_en": postal,
            "role": role,
            "organisation": organisation,
            "time_zone": zone,
            "languages": languages,
            "postal_address": postal,
            "sources": sources,
            "is_demo": is_demo,
            "active": True,
        },
    )
    TargetAddress.objects.get_or_create(target=target, email=email)
    return target


def load_embassies() -> list[Target]:
    """The research file's embassies in the countries we know, as letter targets.

    A research file without them is an error, not an empty list: without its embassy, a letter
    from Germany would quietly go to the fallback ministry instead.
    """
    embassies = []
    for entry in research.load_research()["embassies"]:
        if entry["country"] not in COUNTRY_CODES:
            continue
        code, zone, languages = COUNTRY_CODES[entry["country"]]
        postal = entry.get("postal_address") or entry.get("city") or ""
        postal_lines = {
            language: f"{postal}\n{country_name(code, language)}"
            if postal
            else country_name(code, language)
            for language in LANGUAGES
        }
        translations = {
            **_per_language("name", EMBASSY_NAMES[code]),
            **_per_language("organisation", EMBASSY),
            **_per_language("postal_address", tuple(postal_lines[x] for x in LANGUAGES)),
        }
        embassies.append(
            _target(
                entry["mission"],
                code,
                Role.EMBASSY_OF_BELARUS,
                entry.get("email") or f"belarus-embassy-{code.lower()}@example.org",
                zone=zone,
                languages=f"ru,be,{languages}",
                postal=f"{postal}\n{entry['country']}" if postal else entry["country"],
                organisation="Embassy of the Republic of Belarus",
                sources="\n".join(entry.get("sources", [])),
                # The mission and its address are sourced; the e-mail address is not.
                is_demo=not entry.get("email"),
                translations=translations,
            )
        )
    if not embassies:
        raise ValueError(f"The research file {research.research_path()} names no embassy we know.")
    return embassies


def load_belarusian_bodies() -> dict[str, Target]:
    common = {"zone": MINSK, "languages": "ru,be", "postal": "Minsk\nBelarus"}

    def translated(key: str) -> dict[str, str]:
        return {
            **_per_language("name", BODY_NAMES[key]),
            **_per_language("postal_address", MINSK_ADDRESS),
        }

    return {
        "president": _target(
            "Administration of the President of the Republic of Belarus",
            "BY",
            Role.HEAD_OF_STATE,
            "president-administration@example.org",
            translations=translated("president"),
            **common,
        ),
        "foreign": _target(
            "Ministry of Foreign Affairs of the Republic of Belarus",
            "BY",
            Role.FOREIGN_MINISTRY,
            "foreign-ministry-by@example.org",
            translations=translated("foreign"),
            **common,
        ),
        "labour": _target(
            "Ministry of Labour and Social Protection of the Republic of Belarus",
            "BY",
            Role.LABOUR_MINISTRY,
            "labour-ministry-by@example.org",
            translations=translated("labour"),
            **common,
        ),
    }


DEMO_COUNTRIES = {
    "DE": ("Germany", "Europe/Berlin", "de"),
    "NL": ("Netherlands", "Europe/Amsterdam", "nl"),
    "PL": ("Poland", "Europe/Warsaw", "pl"),
}


def load_demo_officials() -> None:
    """Invented officials of three demo countries: a government and its ILO delegates."""
    for code, (country, zone, language) in DEMO_COUNTRIES.items():
        common = {"zone": zone, "languages": f"{language},en", "postal": f"{country} (demo)"}
        names = tuple(country_name(code, x) for x in LANGUAGES)

        def translated(role: str, names: tuple[str, ...] = names) -> dict[str, str]:
            return {
                **_per_language(
                    "name",
                    tuple(p.format(c=c) for p, c in zip(OFFICIAL_NAMES[role], names, strict=True)),
                ),
                **_per_language(
                    "postal_address",
                    tuple(p.format(c=c) for p, c in zip(DEMO_MARK, names, strict=True)),
                ),
            }

        lower = code.lower()
        _target(
            f"Government of {country} (demo)",
            code,
            Role.GOVERNMENT,
            f"government-{lower}@example.org",
            translations=translated(Role.GOVERNMENT),
            **common,
        )
        _target(
            f"Ministry of Labour of {country} (demo)",
            code,
            Role.LABOUR_MINISTRY,
            f"labour-{lower}@example.org",
            translations=translated(Role.LABOUR_MINISTRY),
            **common,
        )
        for role, who in (
            (Role.ILO_GOVERNMENT, "government"),
            (Role.ILO_EMPLOYERS, "employers'"),
            (Role.ILO_WORKERS, "workers'"),
        ):
            _target(
                f"ILO {who} delegate of {country} (demo)",
                code,
                role,
                f"ilo-{who.strip(chr(39))}-{lower}@example.org",
                translations=translated(role),
                **common,
            )


def _texts(action: LetterAction, texts: dict[str, tuple[str, str]]) -> None:
    for language, (subject, body) in texts.items():
        LetterText.objects.update_or_create(
            action=action, language=language, defaults={"subject": subject, "body": body}
        )


def _action(slug: str, order: int, titles: dict[str, str], summaries: dict[str, str], **fields):
    defaults = {"sort_order": order, "published": True, **fields}
    for language, title in titles.items():
        defaults[f"title_{language}"] = title
    for language, summary in summaries.items():
        defaults[f"summary_{language}"] = summary
    defaults["title"] = titles["en"]
    defaults["summary"] = summaries["en"]
    action, _ = LetterAction.objects.update_or_create(slug=slug, defaults=defaults)
    return action


def load(dates: DemoDates) -> None:
    # Writing in one's own name from Belarus is dangerous: supporters there are warned and
    # offered safer ways to help instead.
    DangerousCountry.objects.get_or_create(
        code="BY", defaults={"note": "Supporters are prosecuted as 'extremists'."}
    )
    load_embassies()
    bodies = load_belarusian_bodies()
    load_demo_officials()

    release = _action(
        "release-the-unionists",
        10,
        {
            "en": "Write to the Government of Belarus and its embassy",
            "ru": "Напишите правительству Беларуси и его посольству",
            "de": "Schreiben Sie der Regierung von Belarus und ihrer Botschaft",
            "be": "Напішыце ўраду Беларусі і яго амбасадзе",
        },
        {
            "en": "Ask for access to the jailed union leaders and for their release. Your letter "
            "goes to the Presidential Administration and to the Belarusian embassy in your "
            "country, or to the Ministry of Foreign Affairs where we know of no embassy.",
            "ru": "Потребуйте доступа к заключённым профсоюзным лидерам и их освобождения. Письмо "
            "получат Администрация президента и посольство Беларуси в вашей стране, а если "
            "посольства нет в нашем списке, — Министерство иностранных дел.",
            "de": "Fordern Sie Zugang zu den inhaftierten Gewerkschaftsführern und ihre "
            "Freilassung. Ihr Brief geht an die Präsidialverwaltung und an die belarussische "
            "Botschaft in Ihrem Land, oder an das Außenministerium, wenn wir keine Botschaft kennen.",
            "be": "Патрабуйце доступу да зняволеных прафсаюзных лідараў і іх вызвалення. Ліст "
            "атрымаюць Адміністрацыя прэзідэнта і амбасада Беларусі ў вашай краіне, а калі "
            "амбасады няма ў нашым спісе, — Міністэрства замежных спраў.",
        },
        targeting=LetterAction.Targeting.COUNTRY_ROLE,
        roles=Role.EMBASSY_OF_BELARUS,
        edit_policy=LetterAction.EditPolicy.WHOLE,
        sending_policy=LetterAction.SendingPolicy.INDIVIDUAL,
        max_per_hour=20,
        window_start=time(9, 0),
        window_end=time(17, 0),
        invite_to_hold_actions=True,
    )
    release.fixed_targets.set([bodies["president"]])
    release.fallback_targets.set([bodies["foreign"]])
    _texts(release, RELEASE_TEXTS)

    ilo = _action(
        "ilo-resolution-2023",
        20,
        {
            "en": "Ask your government what it has done about the ILO resolution",
            "ru": "Спросите своё правительство, что оно сделало по резолюции МОТ",
            "de": "Fragen Sie Ihre Regierung, was sie zur IAO-Resolution getan hat",
            "be": "Спытайце свой урад, што ён зрабіў паводле рэзалюцыі МАП",
        },
        {
            "en": "In June 2023 the International Labour Conference adopted measures on Belarus "
            "under article 33 of the ILO Constitution. Ask your government to carry them out "
            "and to say what it has done so far.",
            "ru": "В июне 2023 года Международная конференция труда приняла меры в отношении "
            "Беларуси по статье 33 Устава МОТ. Попросите своё правительство выполнить их и "
            "рассказать, что уже сделано.",
            "de": "Im Juni 2023 beschloss die Internationale Arbeitskonferenz Maßnahmen zu "
            "Belarus nach Artikel 33 der IAO-Verfassung. Bitten Sie Ihre Regierung, sie "
            "umzusetzen und mitzuteilen, was sie bisher getan hat.",
            "be": "У чэрвені 2023 года Міжнародная канферэнцыя працы прыняла меры ў дачыненні да "
            "Беларусі паводле артыкула 33 Статута МАП. Папрасіце свой урад выканаць іх і "
            "расказаць, што ўжо зроблена.",
        },
        targeting=LetterAction.Targeting.COUNTRY_ROLE,
        roles=Role.GOVERNMENT,
        # Only three demo countries have a government here: the others write to the
        # organisers, who forward the letter.
        when_no_recipient=LetterAction.WhenNoRecipient.FORWARD,
        edit_policy=LetterAction.EditPolicy.WHOLE,
        sending_policy=LetterAction.SendingPolicy.INDIVIDUAL,
        max_per_hour=10,
        window_start=time(8, 0),
        window_end=time(18, 0),
    )
    ilo.fallback_targets.set(
        [
            _target(
                "Campaign office (forwards your letter)",
                "DE",
                Role.OTHER,
                "office@example.org",
                zone="Europe/Berlin",
                languages="en,de,ru,be",
                translations=_per_language("name", OFFICE_NAMES),
            )
        ]
    )
    _texts(ilo, ILO_TEXTS)

    meeting = _action(
        "ilo-thematic-meeting",
        30,
        {
            "en": "Ask your ILO delegates to attend the thematic meeting on Belarus",
            "ru": "Попросите делегатов вашей страны в МОТ участвовать в тематической встрече по Беларуси",
            "de": "Bitten Sie die IAO-Delegierten Ihres Landes, an der Themensitzung zu Belarus teilzunehmen",
            "be": "Папрасіце дэлегатаў вашай краіны ў МАП удзельнічаць у тэматычнай сустрэчы па Беларусі",
        },
        {
            "en": "Before the next International Labour Conference the ILO holds a high-level "
            "meeting on Belarus. Ask your country's government, employers' and workers' "
            "delegates to take part. They receive one daily digest of all letters.",
            "ru": "Перед следующей Международной конференцией труда МОТ проводит встречу высокого "
            "уровня по Беларуси. Попросите делегатов вашей страны от правительства, "
            "работодателей и работников принять в ней участие. Они получают одну сводку писем в день.",
            "de": "Vor der nächsten Internationalen Arbeitskonferenz hält die IAO ein Treffen "
            "auf hoher Ebene zu Belarus ab. Bitten Sie die Delegierten Ihres Landes von "
            "Regierung, Arbeitgebern und Arbeitnehmern, teilzunehmen. Sie erhalten eine "
            "tägliche Zusammenfassung aller Briefe.",
            "be": "Перад наступнай Міжнароднай канферэнцыяй працы МАП праводзіць сустрэчу "
            "высокага ўзроўню па Беларусі. Папрасіце дэлегатаў вашай краіны ад урада, "
            "працадаўцаў і работнікаў узяць у ёй удзел. Яны атрымліваюць адно зводнае "
            "паведамленне пра лісты за дзень.",
        },
        targeting=LetterAction.Targeting.COUNTRY_ROLE,
        roles=",".join([Role.ILO_GOVERNMENT, Role.ILO_EMPLOYERS, Role.ILO_WORKERS]),
        # Where we know no delegates, the supporter posts the letter to the ILO itself.
        when_no_recipient=LetterAction.WhenNoRecipient.POST,
        edit_policy=LetterAction.EditPolicy.PARAGRAPH,
        sending_policy=LetterAction.SendingPolicy.DIGEST,
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    meeting.fallback_targets.set(
        [
            _target(
                "Director-General of the International Labour Office",
                "CH",
                Role.OTHER,
                "director-general-ilo@example.org",
                zone="Europe/Zurich",
                languages="en,fr",
                organisation="International Labour Office",
                postal=f"{ILO_STREET}\nSwitzerland",
                translations={
                    **_per_language("name", ILO_DIRECTOR_NAMES),
                    **_per_language("organisation", ILO_OFFICE_NAMES),
                    **_per_language(
                        "postal_address",
                        tuple(f"{ILO_STREET}\n{country_name('CH', x)}" for x in LANGUAGES),
                    ),
                },
            )
        ]
    )
    _texts(meeting, MEETING_TEXTS)


# A letter that asks for release names only people the register lists in custody
# (``tests/registers/test_campaign_texts_follow_the_register.py`` checks it against the demo
# register): Aliaksandr Yarashuk, released and expelled in 2025, is no longer among them.
RELEASE_TEXTS = {
    "en": (
        "Release the jailed trade unionists of Belarus",
        "{salutation}\n\n"
        "I am writing from {country} to ask you to free the trade "
        "union leaders and members who are held in Belarusian prisons for their union work. "
        "Among those I write for are [[person:bp028]], deputy chairman of the independent "
        "union at Grodno Azot, and [[person:bp018]], who led the independent union at the "
        "Naftan refinery.\n\n"
        "Defending workers is not extremism. Please allow independent observers and the ILO "
        "to visit them without delay, drop the charges against them, and let independent "
        "unions work again.\n\n"
        "{personal_paragraph}\n\n"
        "Yours sincerely,\n{name}\n{role}\n{organisation}",
    ),
    "ru": (
        "Освободите заключённых профсоюзных активистов Беларуси",
        "{salutation}\n\n"
        "Я пишу вам из страны «{country}». Прошу освободить лидеров и "
        "членов профсоюзов, которые находятся в белорусских тюрьмах за профсоюзную работу. "
        "Среди тех, за кого я пишу, — [[person:bp028]], заместитель председателя независимого "
        "профсоюза на «Гродно Азоте», и [[person:bp018]], возглавлявшая независимый профсоюз "
        "на заводе «Нафтан».\n\n"
        "Защита работников — не экстремизм. Пожалуйста, без промедления допустите к ним "
        "независимых наблюдателей и МОТ, снимите с них обвинения и позвольте независимым "
        "профсоюзам снова работать.\n\n"
        "{personal_paragraph}\n\n"
        "С уважением,\n{name}\n{role}\n{organisation}",
    ),
    "de": (
        "Lassen Sie die inhaftierten Gewerkschafter in Belarus frei",
        "{salutation}\n\n"
        "ich schreibe Ihnen aus {country} und bitte Sie, die "
        "Gewerkschaftsführer und -mitglieder freizulassen, die wegen ihrer Gewerkschaftsarbeit "
        "in belarussischen Gefängnissen sitzen. Zu denen, für die ich schreibe, gehören [[person:bp028]], stellvertretender Vorsitzender der unabhängigen "
        "Gewerkschaft bei Grodno Azot, und [[person:bp018]], die die unabhängige Gewerkschaft "
        "in der Raffinerie Naftan geleitet hat.\n\n"
        "Wer Beschäftigte verteidigt, ist kein Extremist. Bitte lassen Sie unabhängige "
        "Beobachter und die IAO sie unverzüglich besuchen, lassen Sie die Anklagen fallen und "
        "erlauben Sie unabhängigen Gewerkschaften wieder zu arbeiten.\n\n"
        "{personal_paragraph}\n\n"
        "Mit freundlichen Grüßen\n{name}\n{role}\n{organisation}",
    ),
    "be": (
        "Вызваліце зняволеных прафсаюзных актывістаў Беларусі",
        "{salutation}\n\n"
        "Я пішу вам з краіны «{country}». Прашу вызваліць лідараў і "
        "сяброў прафсаюзаў, якія знаходзяцца ў беларускіх турмах за прафсаюзную працу. Сярод "
        "тых, за каго я пішу, — [[person:bp028]], намеснік старшыні незалежнага прафсаюза на "
        "«Гродна Азоце», і [[person:bp018]], якая ўзначальвала незалежны прафсаюз на заводзе "
        "«Нафтан».\n\n"
        "Абарона работнікаў — не экстрэмізм. Калі ласка, без адкладання дапусціце да іх "
        "незалежных назіральнікаў і МАП, зніміце з іх абвінавачванні і дазвольце незалежным "
        "прафсаюзам зноў працаваць.\n\n"
        "{personal_paragraph}\n\n"
        "З павагай,\n{name}\n{role}\n{organisation}",
    ),
}

ILO_TEXTS = {
    "en": (
        "The ILO resolution on Belarus of June 2023: what has our government done?",
        "{salutation}\n\n"
        "In June 2023 the International Labour Conference, for the first time over freedom of "
        "association, adopted measures under article 33 of the ILO Constitution because "
        "Belarus has not carried out the recommendations of the 2004 Commission of Inquiry.\n\n"
        "The resolution asks every member State to review its relations with Belarus, not to "
        "send Belarusian refugees back into danger, and to report what it has done. I ask you "
        "to act on it, to work through diplomatic channels for access to the imprisoned union "
        "leaders and for their release, and to tell me what steps you have taken so far.\n\n"
        "Yours sincerely,\n{name}\n{role}\n{organisation}\n{country}",
    ),
    "ru": (
        "Резолюция МОТ по Беларуси (июнь 2023): что сделало наше правительство?",
        "{salutation}\n\n"
        "В июне 2023 года Международная конференция труда впервые из-за нарушений свободы "
        "объединения приняла меры по статье 33 Устава МОТ: Беларусь так и не выполнила "
        "рекомендации Комиссии по расследованию 2004 года.\n\n"
        "Резолюция призывает государства — члены МОТ пересмотреть свои отношения с Беларусью, "
        "не высылать белорусских беженцев туда, где им грозит опасность, и сообщить о "
        "принятых мерах. Прошу вас выполнить её, добиваться дипломатическим путём доступа к "
        "заключённым профсоюзным лидерам и их освобождения и сообщить мне, что уже сделано.\n\n"
        "С уважением,\n{name}\n{role}\n{organisation}\n{country}",
    ),
    "de": (
        "Die IAO-Resolution zu Belarus vom Juni 2023: Was hat unsere Regierung getan?",
        "{salutation}\n\n"
        "im Juni 2023 hat die Internationale Arbeitskonferenz zum ersten Mal wegen verletzter "
        "Vereinigungsfreiheit Maßnahmen nach Artikel 33 der IAO-Verfassung beschlossen, weil "
        "Belarus die Empfehlungen der Untersuchungskommission von 2004 nicht umgesetzt hat.\n\n"
        "Die Resolution fordert alle Mitgliedstaaten auf, ihre Beziehungen zu Belarus zu "
        "überprüfen, belarussische Geflüchtete nicht in Gefahr zurückzuschicken und über ihre "
        "Schritte zu berichten. Ich bitte Sie, danach zu handeln, sich auf diplomatischem Weg "
        "für den Zugang zu den inhaftierten Gewerkschaftsführern und ihre Freilassung "
        "einzusetzen und mir mitzuteilen, was Sie bisher unternommen haben.\n\n"
        "Mit freundlichen Grüßen\n{name}\n{role}\n{organisation}\n{country}",
    ),
    "be": (
        "Рэзалюцыя МАП па Беларусі (чэрвень 2023): што зрабіў наш урад?",
        "{salutation}\n\n"
        "У чэрвені 2023 года Міжнародная канферэнцыя працы ўпершыню з-за парушэнняў свабоды "
        "аб'яднання прыняла меры паводле артыкула 33 Статута МАП: Беларусь так і не выканала "
        "рэкамендацыі Камісіі па расследаванні 2004 года.\n\n"
        "Рэзалюцыя заклікае дзяржавы — сябры МАП перагледзець свае адносіны з Беларуссю, не "
        "высылаць беларускіх уцекачоў туды, дзе ім пагражае небяспека, і паведаміць пра "
        "прынятыя меры. Прашу вас выканаць яе, дамагацца дыпламатычным шляхам доступу да "
        "зняволеных прафсаюзных лідараў і іх вызвалення і паведаміць мне, што ўжо зроблена.\n\n"
        "З павагай,\n{name}\n{role}\n{organisation}\n{country}",
    ),
}

# Read by a delegate of the writer's country, or, where we know none, by the ILO's
# Director-General, to whom the writer posts it: the text asks for the country's delegates
# without taking the reader for one.
MEETING_TEXTS = {
    "en": (
        "Please take part in the ILO's high-level meeting on Belarus",
        "{salutation}\n\n"
        "The ILO Governing Body has decided to hold a high-level thematic meeting on Belarus "
        "before the next International Labour Conference. I ask that the government, "
        "employers' and workers' delegates of my country take part in it and call on Belarus "
        "to follow the recommendations of the ILO supervisory bodies, so that unions in "
        "Belarus belong to the workers and not to the state. Please do what is in your power "
        "to make this happen.\n\n"
        "{personal_paragraph}\n\n"
        "Yours sincerely,\n{name}\n{role}\n{organisation}",
    ),
    "ru": (
        "Пожалуйста, примите участие во встрече МОТ высокого уровня по Беларуси",
        "{salutation}\n\n"
        "Административный совет МОТ решил провести тематическую встречу высокого уровня по "
        "Беларуси перед следующей Международной конференцией труда. Я прошу, чтобы делегаты "
        "моей страны от правительства, работодателей и работников приняли в ней участие и "
        "призвали Беларусь выполнить рекомендации контрольных органов МОТ, чтобы профсоюзы в "
        "Беларуси принадлежали работникам, а не государству. Пожалуйста, сделайте для этого "
        "всё, что в ваших силах.\n\n"
        "{personal_paragraph}\n\n"
        "С уважением,\n{name}\n{role}\n{organisation}",
    ),
    "de": (
        "Bitte nehmen Sie am hochrangigen IAO-Treffen zu Belarus teil",
        "{salutation}\n\n"
        "der Verwaltungsrat der IAO hat beschlossen, vor der nächsten Internationalen "
        "Arbeitskonferenz ein hochrangiges Themen-Treffen zu Belarus abzuhalten. Ich bitte "
        "darum, dass die Delegierten meines Landes von Regierung, Arbeitgebern und "
        "Arbeitnehmern daran teilnehmen und Belarus auffordern, den Empfehlungen der "
        "IAO-Aufsichtsorgane zu folgen, damit die Gewerkschaften in Belarus den Beschäftigten "
        "gehören und nicht dem Staat. Bitte tun Sie dafür, was in Ihrer Macht steht.\n\n"
        "{personal_paragraph}\n\n"
        "Mit freundlichen Grüßen\n{name}\n{role}\n{organisation}",
    ),
    "be": (
        "Калі ласка, вазьміце ўдзел у сустрэчы МАП высокага ўзроўню па Беларусі",
        "{salutation}\n\n"
        "Адміністрацыйны савет МАП вырашыў правесці тэматычную сустрэчу высокага ўзроўню па "
        "Беларусі перад наступнай Міжнароднай канферэнцыяй працы. Я прашу, каб дэлегаты маёй "
        "краіны ад урада, працадаўцаў і работнікаў узялі ў ёй удзел і заклікалі Беларусь "
        "выканаць рэкамендацыі кантрольных органаў МАП, каб прафсаюзы ў Беларусі належалі "
        "работнікам, а не дзяржаве. Калі ласка, зрабіце для гэтага ўсё, што ў вашых сілах.\n\n"
        "{personal_paragraph}\n\n"
        "З павагай,\n{name}\n{role}\n{organisation}",
    ),
}
