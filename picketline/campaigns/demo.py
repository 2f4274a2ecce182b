"""The demo campaign: the facts of the 2024 campaign "Trade union activity is not extremism!",
told in our own words in English, Russian, Belarusian and German.

Running ``load`` twice changes nothing: every row is found by its natural key and updated.
"""

from __future__ import annotations

from datetime import date, time

from picketline.campaigns import legal_demo
from picketline.campaigns.models import (
    Campaign,
    Contact,
    Demand,
    Hashtag,
    Organisation,
    SupporterAction,
    TimelineEntry,
)
from picketline.lib.demo_dates import DemoDates

SLUG = "trade-union-activity-is-not-extremism"


def tr(field: str, en: str, ru: str, be: str, de: str) -> dict[str, str]:
    """One translated field as model keyword arguments: title_en=…, title_ru=…"""
    return {f"{field}_en": en, f"{field}_ru": ru, f"{field}_be": be, f"{field}_de": de}


def load(dates: DemoDates) -> None:
    legal_demo.load(dates)
    day_of_action = date(2024, 4, 19)
    campaign, _ = Campaign.objects.update_or_create(
        slug=SLUG,
        defaults={
            "starts_on": dates.day(date(2024, 3, 19)),
            # The seed page names two end dates: its introduction says the campaign runs to
            # 22 April 2024, its timeline footer says 24 April. We state it once and take the
            # introduction's 22 April: it is the date given in the sentence that defines the
            # campaign, while the footer line has the look of an unchecked copy.
            "ends_on": dates.day(date(2024, 4, 22)),
            "time_zone": "Europe/Berlin",
            "day_of_action_on": dates.day(day_of_action),
            "is_current": True,
            **CAMPAIGN_TEXT,
        },
    )
    replace(campaign.demands, Demand, DEMANDS, "text")
    replace(campaign.organisations, Organisation, ORGANISATIONS, "name")

    for position, action in enumerate(ACTIONS):
        SupporterAction.objects.update_or_create(
            campaign=campaign,
            slug=action["slug"],
            defaults={**action, "position": position},
        )
    campaign.actions.exclude(slug__in=[a["slug"] for a in ACTIONS]).delete()

    for position, text in enumerate(HASHTAGS):
        Hashtag.objects.update_or_create(
            campaign=campaign, text=text, defaults={"position": position}
        )
    campaign.hashtags.exclude(text__in=HASHTAGS).delete()

    for position, contact in enumerate(CONTACTS):
        Contact.objects.update_or_create(
            campaign=campaign,
            phone=contact["phone"],
            defaults={**contact, "position": position},
        )
    campaign.contacts.exclude(phone__in=[c["phone"] for c in CONTACTS]).delete()

    # Times are wall-clock times in the campaign's zone; the demo shift is whole weeks, so
    # they stay as they were and only the day moves.
    for entry in TIMELINE:
        TimelineEntry.objects.update_or_create(
            campaign=campaign,
            title_en=entry["title_en"],
            defaults={
                "starts_at": None,
                "ends_at": None,
                **entry,
                "date": dates.day(entry["date"]),
            },
        )
    campaign.timeline.exclude(title_en__in=[e["title_en"] for e in TIMELINE]).delete()


def replace(related, model, rows: list[dict], key: str) -> None:
    """Keep ordered rows as given: update by their English text, drop the ones no longer here."""
    keys = [row[f"{key}_en"] for row in rows]
    for position, row in enumerate(rows):
        model.objects.update_or_create(
            campaign=related.instance,
            **{f"{key}_en": row[f"{key}_en"]},
            defaults={**row, "position": position},
        )
    related.exclude(**{f"{key}_en__in": keys}).delete()


CAMPAIGN_TEXT = {
    **tr(
        "title",
        "Trade union activity is not extremism!",
        "Профсоюзная деятельность — не экстремизм!",
        "Прафсаюзная дзейнасць — не экстрэмізм!",
        "Gewerkschaftsarbeit ist kein Extremismus!",
    ),
    **tr(
        "slogan",
        "Free Belarus's jailed trade unionists.",
        "Свободу заключённым профсоюзным активистам Беларуси.",
        "Свабоду зняволеным прафсаюзным актывістам Беларусі.",
        "Freiheit für die inhaftierten Gewerkschafter·innen in Belarus.",
    ),
    **tr(
        "summary",
        "In Belarus, organising a union can land you in prison. This campaign asks people and "
        "organisations everywhere to stand with the jailed unionists and to press for their "
        "release.",
        "В Беларуси за создание профсоюза можно оказаться за решёткой. Кампания призывает людей "
        "и организации во всём мире встать на сторону заключённых профсоюзных активистов и "
        "добиваться их освобождения.",
        "У Беларусі за стварэнне прафсаюза можна трапіць за краты. Кампанія заклікае людзей і "
        "арганізацыі ва ўсім свеце стаць на бок зняволеных прафсаюзных актывістаў і дамагацца "
        "іх вызвалення.",
        "In Belarus kann die Gründung einer Gewerkschaft ins Gefängnis führen. Die Kampagne ruft "
        "Menschen und Organisationen überall auf, sich an die Seite der inhaftierten "
        "Gewerkschafter·innen zu stellen und ihre Freilassung zu fordern.",
    ),
    **tr(
        "body",
        "In April 2022 the authorities in Belarus moved against the independent union movement. "
        "Its leaders were arrested, and in the months that followed the four independent unions "
        "— BNP (also known as BITU), SPB, SPM and REP — and their national centre, the "
        "Belarusian Congress of Democratic Trade Unions (BKDP), were dissolved by force.\n\n"
        "Dozens of union leaders and members have been held in custody since. Many of them have "
        "been put on the official lists of 'extremists' or 'terrorists'. Those lists strip people "
        "of their rights and keep them under watch even after they leave prison.\n\n"
        "Among the union leaders the campaign stands for is [[person:bp001]], President of the "
        "BKDP, Vice-President of the International Trade Union Confederation (ITUC) and a "
        "member of the ILO Governing Body.\n\n"
        "The campaign was started by Salidarnast e.V., an association that supports union "
        "activists from Belarus, and is run together with the ITUC. It falls on the anniversary "
        "of the 2022 arrests and aims to put workers' rights in Belarus back on the "
        "international agenda.",
        "В апреле 2022 года власти Беларуси нанесли удар по независимому профсоюзному движению. "
        "Его лидеров арестовали, а в следующие месяцы четыре независимых профсоюза — БНП, СПБ, "
        "СПМ и РЭП — и их национальный центр, Белорусский конгресс демократических профсоюзов "
        "(БКДП), были принудительно ликвидированы.\n\n"
        "С тех пор десятки профсоюзных лидеров и членов профсоюзов находятся под стражей. "
        "Многих из них внесли в официальные списки «экстремистов» или «террористов». Эти списки "
        "лишают людей прав и оставляют их под надзором даже после выхода из тюрьмы.\n\n"
        "Среди профсоюзных лидеров, за которых выступает кампания, — [[person:bp001]], "
        "председатель БКДП, вице-президент Международной конфедерации профсоюзов (МКП) и член "
        "Административного совета МОТ.\n\n"
        "Кампанию начало объединение Salidarnast e.V., которое поддерживает профсоюзных "
        "активистов из Беларуси, и проводит её вместе с МКП. Она приурочена к годовщине "
        "арестов 2022 года и должна вернуть права работников Беларуси в международную "
        "повестку.",
        "У красавіку 2022 года ўлады Беларусі ўдарылі па незалежным прафсаюзным руху. Яго "
        "лідараў арыштавалі, а ў наступныя месяцы чатыры незалежныя прафсаюзы — БНП, СПБ, СПМ "
        "і РЭП — і іх нацыянальны цэнтр, Беларускі кангрэс дэмакратычных прафсаюзаў (БКДП), "
        "былі прымусова ліквідаваныя.\n\n"
        "З таго часу дзясяткі прафсаюзных лідараў і сяброў прафсаюзаў утрымліваюцца пад "
        "вартай. Многіх з іх унеслі ў афіцыйныя спісы «экстрэмістаў» або «тэрарыстаў». Гэтыя "
        "спісы пазбаўляюць людзей правоў і пакідаюць іх пад наглядам нават пасля выхаду з "
        "турмы.\n\n"
        "Сярод прафсаюзных лідараў, за якіх выступае кампанія, — [[person:bp001]], старшыня "
        "БКДП, віцэ-прэзідэнт Міжнароднай канфедэрацыі прафсаюзаў (МКП) і сябра "
        "Адміністрацыйнага савета МАП.\n\n"
        "Кампанію распачало аб'яднанне Salidarnast e.V., якое падтрымлівае прафсаюзных "
        "актывістаў з Беларусі, і праводзіць яе разам з МКП. Яна прымеркаваная да гадавіны "
        "арыштаў 2022 года і павінна вярнуць правы работнікаў Беларусі ў міжнародны парадак "
        "дня.",
        "Im April 2022 gingen die Behörden in Belarus gegen die unabhängige "
        "Gewerkschaftsbewegung vor. Ihre Vorsitzenden wurden festgenommen, und in den Monaten "
        "danach wurden die vier unabhängigen Gewerkschaften — BNP, SPB, SPM und REP — sowie ihr "
        "Dachverband, der Belarussische Kongress Demokratischer Gewerkschaften (BKDP), "
        "zwangsweise aufgelöst.\n\n"
        "Seitdem sitzen Dutzende Gewerkschaftsvorsitzende und Mitglieder in Haft. Viele von "
        "ihnen stehen auf den amtlichen Listen der „Extremisten“ oder „Terroristen“. Diese "
        "Listen nehmen den Menschen ihre Rechte und halten sie auch nach der Entlassung unter "
        "Beobachtung.\n\n"
        "Zu den Gewerkschaftsvorsitzenden, für die die Kampagne eintritt, gehört "
        "[[person:bp001]], Präsident des BKDP, Vizepräsident des Internationalen "
        "Gewerkschaftsbundes (IGB) und Mitglied des Verwaltungsrats der IAO.\n\n"
        "Die Kampagne hat der Verein Salidarnast e.V. ins Leben gerufen, der "
        "Gewerkschaftsaktive aus Belarus unterstützt; er führt sie gemeinsam mit dem IGB. Sie "
        "fällt auf den Jahrestag der Festnahmen von 2022 und soll die Rechte der Beschäftigten "
        "in Belarus wieder auf die internationale Tagesordnung bringen.",
    ),
    **tr(
        "day_of_action_title",
        "Day of Action for Trade Union Rights and Democracy in Belarus",
        "День действий за профсоюзные права и демократию в Беларуси",
        "Дзень дзеянняў за прафсаюзныя правы і дэмакратыю ў Беларусі",
        "Aktionstag für Gewerkschaftsrechte und Demokratie in Belarus",
    ),
    **tr(
        "day_of_action_text",
        "On this day unions and their friends around the world call, together, for the release "
        "of every jailed Belarusian union leader. Join an action near you, the online meeting, "
        "or the gathering in Berlin.",
        "В этот день профсоюзы и их друзья по всему миру вместе требуют освободить всех "
        "заключённых лидеров белорусских профсоюзов. Присоединяйтесь к акции рядом с вами, к "
        "онлайн-встрече или к акции в Берлине.",
        "У гэты дзень прафсаюзы і іх сябры па ўсім свеце разам патрабуюць вызваліць усіх "
        "зняволеных лідараў беларускіх прафсаюзаў. Далучайцеся да акцыі побач з вамі, да "
        "анлайн-сустрэчы або да акцыі ў Берліне.",
        "An diesem Tag fordern Gewerkschaften und ihre Freund·innen weltweit gemeinsam die "
        "Freilassung aller inhaftierten belarussischen Gewerkschaftsvorsitzenden. Machen Sie "
        "mit: bei einer Aktion in Ihrer Nähe, beim Online-Treffen oder bei der Kundgebung in "
        "Berlin.",
    ),
}

DEMANDS = [
    tr(
        "text",
        "Release all jailed trade unionists and political prisoners.",
        "Освободить всех заключённых профсоюзных активистов и политических заключённых.",
        "Вызваліць усіх зняволеных прафсаюзных актывістаў і палітычных вязняў.",
        "Freiheit für alle inhaftierten Gewerkschafter·innen und politischen Gefangenen.",
    ),
    tr(
        "text",
        "Stop persecuting union activists.",
        "Прекратить преследование профсоюзных активистов.",
        "Спыніць пераслед прафсаюзных актывістаў.",
        "Schluss mit der Verfolgung von Gewerkschaftsaktiven.",
    ),
    tr(
        "text",
        "Let independent unions work lawfully again, with real guarantees.",
        "Вернуть независимым профсоюзам право законно работать — с настоящими гарантиями.",
        "Вярнуць незалежным прафсаюзам права законна працаваць — з сапраўднымі гарантыямі.",
        "Unabhängige Gewerkschaften müssen wieder legal und mit echten Garantien arbeiten können.",
    ),
]

ORGANISATIONS = [
    {
        "role": Organisation.Role.ORGANISER,
        "url": "https://salidarnast.info/",
        **tr(
            "name",
            "Salidarnast e.V.",
            "Salidarnast e.V. («Салидарность»)",
            "Salidarnast e.V. («Салідарнасць»)",
            "Salidarnast e.V.",
        ),
        **tr(
            "description",
            "An association that stands by trade union activists from Belarus; it started the "
            "campaign.",
            "Объединение, которое поддерживает профсоюзных активистов из Беларуси; оно начало "
            "кампанию.",
            "Аб'яднанне, якое падтрымлівае прафсаюзных актывістаў з Беларусі; яно распачало "
            "кампанію.",
            "Ein Verein, der Gewerkschaftsaktive aus Belarus unterstützt; er hat die Kampagne "
            "gestartet.",
        ),
    },
    {
        "role": Organisation.Role.ORGANISER,
        "url": "https://www.ituc-csi.org/",
        **tr(
            "name",
            "International Trade Union Confederation (ITUC)",
            "Международная конфедерация профсоюзов (МКП)",
            "Міжнародная канфедэрацыя прафсаюзаў (МКП)",
            "Internationaler Gewerkschaftsbund (IGB)",
        ),
        **tr(
            "description",
            "The global union federation, co-organiser of the campaign and, with the ETUC, of "
            "the online meeting.",
            "Всемирное объединение профсоюзов, соорганизатор кампании и — вместе с ЕКП — "
            "онлайн-встречи.",
            "Сусветнае аб'яднанне прафсаюзаў, сааранізатар кампаніі і — разам з ЕКП — "
            "анлайн-сустрэчы.",
            "Der weltweite Gewerkschaftsdachverband; er organisiert die Kampagne mit und, "
            "gemeinsam mit dem EGB, das Online-Treffen.",
        ),
    },
    {
        "role": Organisation.Role.PARTNER,
        "url": "https://www.etuc.org/",
        **tr(
            "name",
            "European Trade Union Confederation (ETUC)",
            "Европейская конфедерация профсоюзов (ЕКП)",
            "Еўрапейская канфедэрацыя прафсаюзаў (ЕКП)",
            "Europäischer Gewerkschaftsbund (EGB)",
        ),
        **tr(
            "description",
            "Hosts the online meeting on the Day of Action together with the ITUC.",
            "Проводит онлайн-встречу в День действий вместе с МКП.",
            "Праводзіць анлайн-сустрэчу ў Дзень дзеянняў разам з МКП.",
            "Richtet am Aktionstag gemeinsam mit dem IGB das Online-Treffen aus.",
        ),
    },
]

ACTIONS = [
    {
        "slug": "demand-release",
        "kind": SupporterAction.Kind.RELEASE_LETTER,
        "destination": "letters/release-the-unionists/",
        **tr(
            "title",
            "Demand the release of the unionists",
            "Потребуйте освободить профсоюзных активистов",
            "Патрабуйце вызваліць прафсаюзных актывістаў",
            "Fordern Sie die Freilassung der Gewerkschafter·innen",
        ),
        **tr(
            "summary",
            "Write to the Government of Belarus, and gather in front of a Belarusian embassy in "
            "your country.",
            "Напишите правительству Беларуси и выйдите на акцию у белорусского посольства в "
            "вашей стране.",
            "Напішыце ўраду Беларусі і выйдзіце на акцыю каля беларускай амбасады ў вашай краіне.",
            "Schreiben Sie der Regierung von Belarus und versammeln Sie sich vor einer "
            "belarussischen Botschaft in Ihrem Land.",
        ),
        **tr(
            "body",
            "Ask the Government of the Republic of Belarus to let lawyers, families and "
            "observers see the imprisoned union leaders, and to set them free. The campaign "
            "stands as well for [[person:bp001]], President of the BKDP, Vice-President of the "
            "ITUC and member of the ILO Governing Body.\n\n"
            "A letter counts for more when people also turn up in person: a small, peaceful "
            "picket in front of the Belarusian embassy in your capital, with a banner and a "
            "photo, tells the diplomats that their government is being watched.",
            "Попросите правительство Республики Беларусь допустить к заключённым профсоюзным "
            "лидерам адвокатов, родных и наблюдателей и освободить их. Кампания выступает "
            "и в поддержку председателя БКДП, вице-президента МКП и члена Административного "
            "совета МОТ: [[person:bp001]].\n\n"
            "Письмо весит больше, когда люди приходят и лично: небольшой мирный пикет у "
            "посольства Беларуси в вашей столице, с плакатом и фотографией, показывает "
            "дипломатам, что за их правительством следят.",
            "Папрасіце ўрад Рэспублікі Беларусь дапусціць да зняволеных прафсаюзных лідараў "
            "адвакатаў, родных і назіральнікаў і вызваліць іх. Кампанія выступае і ў "
            "падтрымку старшыні БКДП, віцэ-прэзідэнта МКП і сябра Адміністрацыйнага савета "
            "МАП: [[person:bp001]].\n\n"
            "Ліст важыць больш, калі людзі прыходзяць і асабіста: невялікі мірны пікет каля "
            "амбасады Беларусі ў вашай сталіцы, з плакатам і фотаздымкам, паказвае дыпламатам, "
            "што за іх урадам сочаць.",
            "Bitten Sie die Regierung der Republik Belarus, Anwält·innen, Familien und "
            "Beobachter·innen zu den inhaftierten Gewerkschaftsvorsitzenden zu lassen und sie "
            "freizulassen. Die Kampagne tritt ebenso für den Präsidenten des BKDP, "
            "Vizepräsidenten des IGB und Mitglied des IAO-Verwaltungsrats ein: "
            "[[person:bp001]].\n\n"
            "Ein Brief wiegt mehr, wenn Menschen auch persönlich erscheinen: Eine kleine, "
            "friedliche Mahnwache vor der belarussischen Botschaft in Ihrer Hauptstadt, mit "
            "Transparent und Foto, zeigt den Diplomat·innen, dass man auf ihre Regierung schaut.",
        ),
        **tr(
            "cta_label",
            "Write the letter",
            "Написать письмо",
            "Напісаць ліст",
            "Brief schreiben",
        ),
    },
    {
        "slug": "ilo-resolution-letters",
        "kind": SupporterAction.Kind.ILO_LETTER,
        "destination": "letters/ilo-resolution-2023/",
        **tr(
            "title",
            "Ask your government to act on the ILO resolution",
            "Призовите своё правительство выполнять резолюцию МОТ",
            "Заклікайце свой урад выконваць рэзалюцыю МАП",
            "Fordern Sie Ihre Regierung auf, die IAO-Resolution umzusetzen",
        ),
        **tr(
            "summary",
            "In June 2023 the International Labour Conference adopted a resolution on Belarus. "
            "Ask your own government what it has done about it.",
            "В июне 2023 года Международная конференция труда приняла резолюцию по Беларуси. "
            "Спросите своё правительство, что оно сделало для её выполнения.",
            "У чэрвені 2023 года Міжнародная канферэнцыя працы прыняла рэзалюцыю па Беларусі. "
            "Спытайце свой урад, што ён зрабіў для яе выканання.",
            "Im Juni 2023 hat die Internationale Arbeitskonferenz eine Resolution zu Belarus "
            "verabschiedet. Fragen Sie Ihre Regierung, was sie seither getan hat.",
        ),
        **tr(
            "body",
            "The resolution, adopted under article 33 of the ILO Constitution, asks member "
            "states to review their cooperation with Belarus — in culture, the economy, trade, "
            "science and other fields — so that it does not help the authorities go on "
            "violating freedom of association.\n\n"
            "Write to your national government. Ask it to apply the resolution and to tell you "
            "what it has already done: whether Belarusian refugees are protected from being "
            "sent back, how it raises the issue in other UN bodies and international "
            "institutions, and what diplomatic steps it takes so that the jailed union leaders "
            "can be visited and released.",
            "Резолюция, принятая на основании статьи 33 Устава МОТ, призывает государства "
            "пересмотреть сотрудничество с Беларусью — в культуре, экономике, торговле, науке и "
            "других областях, — чтобы оно не помогало властям и дальше нарушать свободу "
            "объединения.\n\n"
            "Напишите своему правительству. Попросите выполнять резолюцию и рассказать, что уже "
            "сделано: защищены ли белорусские беженцы от высылки, как вопрос поднимается в "
            "других органах ООН и международных институтах, какие дипломатические шаги "
            "предпринимаются, чтобы к заключённым профсоюзным лидерам получили доступ и их "
            "освободили.",
            "Рэзалюцыя, прынятая на падставе артыкула 33 Статута МАП, заклікае дзяржавы "
            "перагледзець супрацоўніцтва з Беларуссю — у культуры, эканоміцы, гандлі, навуцы і "
            "іншых галінах, — каб яно не дапамагала ўладам і далей парушаць свабоду "
            "аб'яднання.\n\n"
            "Напішыце свайму ўраду. Папрасіце выконваць рэзалюцыю і расказаць, што ўжо "
            "зроблена: ці абаронены беларускія ўцекачы ад высылкі, як пытанне ўздымаецца ў "
            "іншых органах ААН і міжнародных інстытутах, якія дыпламатычныя крокі робяцца, каб "
            "да зняволеных прафсаюзных лідараў атрымалі доступ і іх вызвалілі.",
            "Die Resolution, beschlossen nach Artikel 33 der IAO-Verfassung, fordert die "
            "Mitgliedstaaten auf, ihre Zusammenarbeit mit Belarus — in Kultur, Wirtschaft, "
            "Handel, Wissenschaft und anderen Bereichen — zu überprüfen, damit sie den Behörden "
            "nicht hilft, die Vereinigungsfreiheit weiter zu verletzen.\n\n"
            "Schreiben Sie Ihrer Regierung. Bitten Sie sie, die Resolution umzusetzen und "
            "mitzuteilen, was bereits geschehen ist: ob belarussische Geflüchtete vor "
            "Abschiebung geschützt sind, wie sie das Thema in anderen UN-Gremien und "
            "internationalen Einrichtungen anspricht und welche diplomatischen Schritte sie "
            "unternimmt, damit die inhaftierten Gewerkschaftsvorsitzenden besucht und "
            "freigelassen werden können.",
        ),
        **tr(
            "cta_label",
            "Write to your government",
            "Написать своему правительству",
            "Напісаць свайму ўраду",
            "An die Regierung schreiben",
        ),
    },
    {
        "slug": "ilo-thematic-meeting",
        "kind": SupporterAction.Kind.THEMATIC_MEETING,
        "destination": "letters/ilo-thematic-meeting/",
        **tr(
            "title",
            "Bring your representatives to the ILO meeting on Belarus",
            "Добейтесь участия ваших представителей во встрече МОТ по Беларуси",
            "Дамажыцеся ўдзелу вашых прадстаўнікоў у сустрэчы МАП па Беларусі",
            "Bringen Sie Ihre Vertreter·innen zum IAO-Treffen über Belarus",
        ),
        **tr(
            "summary",
            "The ILO Governing Body decided to hold a high-level thematic meeting on Belarus "
            "before the next International Labour Conference. Make sure your country's voices "
            "are in the room.",
            "Административный совет МОТ решил провести тематическую встречу высокого уровня по "
            "Беларуси до следующей Международной конференции труда. Добейтесь, чтобы голос "
            "вашей страны там прозвучал.",
            "Адміністрацыйны савет МАП вырашыў правесці тэматычную сустрэчу высокага ўзроўню "
            "па Беларусі да наступнай Міжнароднай канферэнцыі працы. Дамажыцеся, каб голас "
            "вашай краіны там прагучаў.",
            "Der IAO-Verwaltungsrat hat beschlossen, vor der nächsten Internationalen "
            "Arbeitskonferenz ein thematisches Treffen auf hoher Ebene zu Belarus abzuhalten. "
            "Sorgen Sie dafür, dass Ihr Land dort vertreten ist.",
        ),
        **tr(
            "body",
            "Ask the national representatives of the three ILO partners — government, "
            "employers and workers — and your state's delegates to UN bodies to take part.\n\n"
            "At the meeting they can call on Belarus to carry out what the ILO supervisory "
            "bodies have recommended, and to make sure that unions in the country belong to "
            "their members and are run by them, not by the state.",
            "Попросите национальных представителей трёх сторон МОТ — правительства, "
            "работодателей и работников — и представителей вашего государства в органах ООН "
            "принять в ней участие.\n\n"
            "На встрече они могут призвать Беларусь выполнить рекомендации надзорных органов "
            "МОТ и обеспечить, чтобы профсоюзы в стране принадлежали своим членам и "
            "управлялись ими, а не государством.",
            "Папрасіце нацыянальных прадстаўнікоў трох бакоў МАП — урада, працадаўцаў і "
            "работнікаў — і прадстаўнікоў вашай дзяржавы ў органах ААН узяць у ёй удзел.\n\n"
            "На сустрэчы яны могуць заклікаць Беларусь выканаць рэкамендацыі наглядных органаў "
            "МАП і забяспечыць, каб прафсаюзы ў краіне належалі сваім сябрам і кіраваліся імі, "
            "а не дзяржавай.",
            "Bitten Sie die nationalen Vertreter·innen der drei IAO-Partner — Regierung, "
            "Arbeitgeber und Beschäftigte — sowie die Delegierten Ihres Staates in UN-Gremien, "
            "daran teilzunehmen.\n\n"
            "Dort können sie Belarus auffordern, die Empfehlungen der IAO-Aufsichtsorgane "
            "umzusetzen und dafür zu sorgen, dass Gewerkschaften im Land ihren Mitgliedern "
            "gehören und von ihnen geführt werden, nicht vom Staat.",
        ),
        **tr(
            "cta_label",
            "Write to your representatives",
            "Написать представителям",
            "Напісаць прадстаўнікам",
            "Vertreter·innen anschreiben",
        ),
    },
    {
        "slug": "due-diligence",
        "kind": SupporterAction.Kind.DUE_DILIGENCE,
        "destination": "register/companies/",
        **tr(
            "title",
            "Look into business ties with Belarusian companies",
            "Проверьте деловые связи с белорусскими компаниями",
            "Праверце дзелавыя сувязі з беларускімі кампаніямі",
            "Prüfen Sie Geschäftsbeziehungen zu belarussischen Unternehmen",
        ),
        **tr(
            "summary",
            "Hold meetings on human rights due diligence: which supply chains, banks and "
            "service providers work with Belarusian employers and the state?",
            "Проведите встречи по надлежащей проверке в сфере прав человека: какие цепочки "
            "поставок, банки и поставщики услуг работают с белорусскими работодателями и "
            "государством?",
            "Правядзіце сустрэчы па належнай праверцы ў сферы правоў чалавека: якія ланцужкі "
            "паставак, банкі і пастаўшчыкі паслуг працуюць з беларускімі працадаўцамі і "
            "дзяржавай?",
            "Veranstalten Sie Treffen zur menschenrechtlichen Sorgfaltspflicht: Welche "
            "Lieferketten, Banken und Dienstleister arbeiten mit belarussischen Arbeitgebern und "
            "dem Staat zusammen?",
        ),
        **tr(
            "body",
            "Bring together unions, works councils and companies to look at the whole picture: "
            "trade with Belarusian companies, financial services, and other business links.\n\n"
            "Where a company or a bank has influence, ask it to use it to stop the violations "
            "of workers' rights — and to say publicly what it has done.",
            "Соберите профсоюзы, советы работников и компании, чтобы увидеть всю картину: "
            "торговлю с белорусскими компаниями, финансовые услуги и другие деловые связи.\n\n"
            "Если у компании или банка есть влияние, попросите использовать его, чтобы "
            "прекратить нарушения прав работников, — и открыто рассказать, что было сделано.",
            "Збярыце прафсаюзы, саветы работнікаў і кампаніі, каб убачыць усю карціну: гандаль "
            "з беларускімі кампаніямі, фінансавыя паслугі і іншыя дзелавыя сувязі.\n\n"
            "Калі ў кампаніі або банка ёсць уплыў, папрасіце скарыстаць яго, каб спыніць "
            "парушэнні правоў работнікаў, — і адкрыта расказаць, што было зроблена.",
            "Bringen Sie Gewerkschaften, Betriebsräte und Unternehmen zusammen, um das ganze "
            "Bild zu sehen: Handel mit belarussischen Unternehmen, Finanzdienstleistungen und "
            "andere Geschäftsbeziehungen.\n\n"
            "Wo ein Unternehmen oder eine Bank Einfluss hat, bitten Sie sie, ihn zu nutzen, um "
            "die Verletzung von Arbeitnehmerrechten zu beenden — und offen zu sagen, was sie "
            "getan haben.",
        ),
        **tr(
            "cta_label",
            "See the company register",
            "Открыть реестр компаний",
            "Адкрыць рэестр кампаній",
            "Zum Unternehmensregister",
        ),
    },
    {
        "slug": "video-message",
        "kind": SupporterAction.Kind.VIDEO_MESSAGE,
        "destination": "submit/video/",
        **tr(
            "title",
            "Record a video message of solidarity",
            "Запишите видеообращение солидарности",
            "Запішыце відэазварот салідарнасці",
            "Nehmen Sie eine Videobotschaft der Solidarität auf",
        ),
        **tr(
            "summary",
            "A short video from you or your union shows the prisoners and their families that "
            "they are not forgotten.",
            "Короткое видео от вас или вашего профсоюза покажет заключённым и их семьям, что о "
            "них помнят.",
            "Кароткае відэа ад вас або вашага прафсаюза пакажа зняволеным і іх сем'ям, што пра "
            "іх памятаюць.",
            "Ein kurzes Video von Ihnen oder Ihrer Gewerkschaft zeigt den Gefangenen und ihren "
            "Familien, dass sie nicht vergessen sind.",
        ),
        **tr(
            "body",
            "Say it in your own words: that union work is not extremism, that workers in Belarus "
            "must be free to organise and to live in a democracy, and that the jailed union "
            "leaders must be released.\n\n"
            "Post it on your own channels with the campaign hashtags, and send it to us so that "
            "we can share it further.",
            "Скажите своими словами: профсоюзная работа — не экстремизм, работники Беларуси "
            "должны свободно объединяться и жить в демократической стране, а заключённых "
            "профсоюзных лидеров нужно освободить.\n\n"
            "Опубликуйте видео в своих каналах с хештегами кампании и пришлите его нам, чтобы мы "
            "могли распространить его дальше.",
            "Скажыце сваімі словамі: прафсаюзная праца — не экстрэмізм, работнікі Беларусі "
            "павінны свабодна аб'ядноўвацца і жыць у дэмакратычнай краіне, а зняволеных "
            "прафсаюзных лідараў трэба вызваліць.\n\n"
            "Апублікуйце відэа ў сваіх каналах з хэштэгамі кампаніі і дашліце яго нам, каб мы "
            "маглі пашырыць яго далей.",
            "Sagen Sie es mit Ihren eigenen Worten: Gewerkschaftsarbeit ist kein Extremismus, "
            "Beschäftigte in Belarus müssen sich frei organisieren und in einer Demokratie leben "
            "können, und die inhaftierten Gewerkschaftsvorsitzenden müssen freikommen.\n\n"
            "Veröffentlichen Sie das Video auf Ihren eigenen Kanälen mit den Hashtags der "
            "Kampagne und schicken Sie es uns, damit wir es weiterverbreiten können.",
        ),
        **tr(
            "cta_label",
            "Send your video",
            "Прислать видео",
            "Даслаць відэа",
            "Video einsenden",
        ),
    },
    {
        "slug": "online-meeting",
        "kind": SupporterAction.Kind.ONLINE_MEETING,
        "destination": "events/",
        **tr(
            "title",
            "Join the online meeting on Belarus",
            "Присоединяйтесь к онлайн-встрече о Беларуси",
            "Далучайцеся да анлайн-сустрэчы пра Беларусь",
            "Nehmen Sie am Online-Treffen zu Belarus teil",
        ),
        **tr(
            "summary",
            "On the Day of Action the ITUC and the ETUC hold an online meeting, in English and "
            "Russian, from 09:30 to 11:00.",
            "В День действий МКП и ЕКП проводят онлайн-встречу на английском и русском языках, "
            "с 09:30 до 11:00.",
            "У Дзень дзеянняў МКП і ЕКП праводзяць анлайн-сустрэчу на англійскай і рускай "
            "мовах, з 09:30 да 11:00.",
            "Am Aktionstag veranstalten IGB und EGB ein Online-Treffen auf Englisch und "
            "Russisch, von 09:30 bis 11:00 Uhr.",
        ),
        **tr(
            "body",
            "Union members, experts and people who know the Belarusian prisons from the inside "
            "talk about the situation and about what helps. Registration is free; you receive "
            "the link to join by e-mail.",
            "Члены профсоюзов, эксперты и люди, знающие белорусские тюрьмы изнутри, расскажут о "
            "положении дел и о том, что действительно помогает. Регистрация бесплатная; ссылку "
            "для подключения вы получите по электронной почте.",
            "Сябры прафсаюзаў, эксперты і людзі, якія ведаюць беларускія турмы знутры, "
            "раскажуць пра становішча і пра тое, што сапраўды дапамагае. Рэгістрацыя "
            "бясплатная; спасылку для падключэння вы атрымаеце па электроннай пошце.",
            "Gewerkschaftsmitglieder, Fachleute und Menschen, die belarussische Gefängnisse von "
            "innen kennen, sprechen über die Lage und darüber, was hilft. Die Anmeldung ist "
            "kostenlos; den Link zur Teilnahme erhalten Sie per E-Mail.",
        ),
        **tr(
            "cta_label",
            "Register for the meeting",
            "Зарегистрироваться",
            "Зарэгістравацца",
            "Zum Treffen anmelden",
        ),
    },
]

HASHTAGS = [
    "FreeBelarusUnionists",
    "SolidarityWithBelarusTradeUnionists",
    "SupportBelarusWorkersRights",
    "April19_WorkersRights",
]

# The seed page gives no e-mail addresses for the contacts, so none are made up here.
CONTACTS = [
    {
        "phone": "+4915203268972",
        "email": "",
        **tr(
            "name",
            "Lizaveta Merliak",
            "Лизавета Мерляк",
            "Лізавета Мерляк",
            "Lizaveta Merliak",
        ),
        **tr(
            "role", "Salidarnast e.V.", "Salidarnast e.V.", "Salidarnast e.V.", "Salidarnast e.V."
        ),
    },
    {
        "phone": "+491637892590",
        "email": "",
        **tr(
            "name",
            "Maryia Taradzetskaya",
            "Мария Тарадецкая",
            "Марыя Тарадзецкая",
            "Maryia Taradzetskaya",
        ),
        **tr(
            "role", "Salidarnast e.V.", "Salidarnast e.V.", "Salidarnast e.V.", "Salidarnast e.V."
        ),
    },
]

TIMELINE = [
    {
        "date": date(2024, 3, 19),
        "important": False,
        **tr(
            "title",
            "The campaign begins",
            "Начало кампании",
            "Пачатак кампаніі",
            "Die Kampagne beginnt",
        ),
        **tr(
            "text",
            "Letters, videos and meetings: every action is open from today.",
            "Письма, видео и встречи: с сегодняшнего дня открыты все действия.",
            "Лісты, відэа і сустрэчы: з сённяшняга дня адкрытыя ўсе дзеянні.",
            "Briefe, Videos und Treffen: Ab heute stehen alle Aktionen offen.",
        ),
    },
    {
        "date": date(2024, 4, 19),
        "important": True,
        **tr(
            "title",
            "Day of Action for Trade Union Rights and Democracy in Belarus",
            "День действий за профсоюзные права и демократию в Беларуси",
            "Дзень дзеянняў за прафсаюзныя правы і дэмакратыю ў Беларусі",
            "Aktionstag für Gewerkschaftsrechte und Demokratie in Belarus",
        ),
    },
    {
        "date": date(2024, 4, 19),
        # The seed gives no zone for the meeting; the organisers' own zone is assumed.
        "starts_at": time(9, 30),
        "ends_at": time(11, 0),
        "important": True,
        **tr(
            "title",
            "Online meeting of the ITUC and the ETUC",
            "Онлайн-встреча МКП и ЕКП",
            "Анлайн-сустрэча МКП і ЕКП",
            "Online-Treffen von IGB und EGB",
        ),
        **tr(
            "text",
            "In English and Russian.",
            "На английском и русском языках.",
            "На англійскай і рускай мовах.",
            "Auf Englisch und Russisch.",
        ),
    },
    {
        "date": date(2024, 4, 19),
        "starts_at": time(12, 30),
        "ends_at": time(13, 30),
        "important": True,
        **tr(
            "title",
            "Salidarnast protest in Berlin",
            "Акция «Салидарности» в Берлине",
            "Акцыя «Салідарнасці» ў Берліне",
            "Kundgebung von Salidarnast in Berlin",
        ),
        **tr(
            "text",
            "Pariser Platz, by the Brandenburg Gate, 10117 Berlin. Streamed live.",
            "Парижская площадь (Pariser Platz) у Бранденбургских ворот, 10117 Берлин. Прямая "
            "трансляция.",
            "Парыжская плошча (Pariser Platz) каля Брандэнбургскай брамы, 10117 Берлін. Прамая "
            "трансляцыя.",
            "Pariser Platz am Brandenburger Tor, 10117 Berlin. Mit Livestream.",
        ),
    },
    {
        "date": date(2024, 4, 22),
        "important": False,
        **tr(
            "title",
            "The campaign closes",
            "Завершение кампании",
            "Завяршэнне кампаніі",
            "Die Kampagne endet",
        ),
        **tr(
            "text",
            "Thank you to everyone who took part. The prisoners still need you afterwards.",
            "Спасибо всем, кто принял участие. Заключённым ваша поддержка нужна и после.",
            "Дзякуй усім, хто ўзяў удзел. Зняволеным ваша падтрымка патрэбная і пасля.",
            "Danke an alle, die mitgemacht haben. Die Gefangenen brauchen Sie auch danach.",
        ),
    },
]
