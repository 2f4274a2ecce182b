"""The demo register in Russian, Belarusian and German: union names, what sources add about
a union, company sectors, and one person's role and status in full. English is the research
file's own wording; these are translations of it, not new facts."""

from __future__ import annotations

LANGUAGES = ("ru", "be", "de")

# key -> {language: (abbreviation, name)}
UNIONS = {
    "bkdp": {
        "ru": ("БКДП", "Белорусский конгресс демократических профсоюзов"),
        "be": ("БКДП", "Беларускі кангрэс дэмакратычных прафсаюзаў"),
        "de": ("BKDP", "Belarussischer Kongress Demokratischer Gewerkschaften"),
    },
    "bnp": {
        "ru": ("БНП", "Белорусский независимый профсоюз"),
        "be": ("БНП", "Беларускі незалежны прафсаюз"),
        "de": ("BNP", "Belarussische Unabhängige Gewerkschaft"),
    },
    "spb": {
        "ru": ("СПБ", "Свободный профсоюз Белорусский"),
        "be": ("СПБ", "Свабодны прафсаюз Беларускі"),
        "de": ("SPB", "Freie Gewerkschaft Belarus"),
    },
    "spm": {
        "ru": ("СПМ", "Свободный профсоюз металлистов"),
        "be": ("СПМ", "Свабодны прафсаюз металістаў"),
        "de": ("SPM", "Freie Gewerkschaft der Metallarbeiter"),
    },
    "rep": {
        "ru": ("РЭП", "Белорусский профсоюз работников радиоэлектронной промышленности"),
        "be": ("РЭП", "Беларускі прафсаюз работнікаў радыёэлектроннай прамысловасці"),
        "de": (
            "REP",
            "Belarussische Gewerkschaft der Beschäftigten der Radio- und Elektronikindustrie",
        ),
    },
    "rabochy-rukh": {
        "ru": ("", "Движение «Рабочы рух»"),
        "be": ("", "Рух «Рабочы рух»"),
        "de": ("", "Arbeiterbewegung Rabochy Rukh"),
    },
    "naftan-strike-committee": {
        "ru": ("", "Забастовочный комитет «Нафтана» (2020)"),
        "be": ("", "Страйкавы камітэт «Нафтана» (2020)"),
        "de": ("", "Streikkomitee von Naftan (2020)"),
    },
}

UNION_NOTES = {
    "an affiliated union, not named": {
        "ru": "одна из входящих в него организаций, какая — не указано",
        "be": "адна з арганізацый, што ўваходзяць у яго, якая — не пазначана",
        "de": "eine Mitgliedsgewerkschaft, welche, ist nicht angegeben",
    },
    "primary organisation at Grodno Azot": {
        "ru": "первичная организация на «Гродно Азоте»",
        "be": "першасная арганізацыя на «Гродна Азоце»",
        "de": "Betriebsgruppe bei Grodno Azot",
    },
    "primary organisation at Naftan oil refinery, Navapolatsk": {
        "ru": "первичная организация на НПЗ «Нафтан», Новополоцк",
        "be": "першасная арганізацыя на НПЗ «Нафтан», Наваполацк",
        "de": "Betriebsgruppe in der Raffinerie Naftan, Nawapolazk",
    },
    "primary organisation at MAZ, Minsk Automobile Plant": {
        "ru": "первичная организация на МАЗе, Минском автомобильном заводе",
        "be": "першасная арганізацыя на МАЗе, Мінскім аўтамабільным заводзе",
        "de": "Betriebsgruppe bei MAZ, dem Minsker Automobilwerk",
    },
    "Brest": {"ru": "Брест", "be": "Брэст", "de": "Brest"},
    "BNP member status not individually confirmed": {
        "ru": "членство в БНП лично не подтверждено",
        "be": "сяброўства ў БНП асабіста не пацверджана",
        "de": "BNP-Mitgliedschaft nicht einzeln bestätigt",
    },
    "also BNP": {"ru": "также БНП", "be": "таксама БНП", "de": "auch BNP"},
    "previously REP": {"ru": "ранее РЭП", "be": "раней РЭП", "de": "früher REP"},
}

SECTORS = {
    "potash fertiliser mining (Salihorsk/Soligorsk)": {
        "ru": "добыча калийных удобрений (Солигорск)",
        "be": "здабыча калійных угнаенняў (Салігорск)",
        "de": "Kalidüngerbergbau (Salihorsk/Soligorsk)",
    },
    "nitrogen fertilisers/chemicals (Hrodna)": {
        "ru": "азотные удобрения и химия (Гродно)",
        "be": "азотныя ўгнаенні і хімія (Гродна)",
        "de": "Stickstoffdünger und Chemie (Hrodna)",
    },
    "oil refining / petrochemicals": {
        "ru": "нефтепереработка и нефтехимия",
        "be": "нафтаперапрацоўка і нафтахімія",
        "de": "Erdölverarbeitung und Petrochemie",
    },
    "trucks/buses": {
        "ru": "грузовики и автобусы",
        "be": "грузавікі і аўтобусы",
        "de": "Lastwagen und Busse",
    },
    "mining dump trucks": {
        "ru": "карьерные самосвалы",
        "be": "кар'ерныя самазвалы",
        "de": "Muldenkipper für den Bergbau",
    },
    "steel": {"ru": "сталь", "be": "сталь", "de": "Stahl"},
    "rail transport": {
        "ru": "железнодорожный транспорт",
        "be": "чыгуначны транспарт",
        "de": "Schienenverkehr",
    },
    "furniture, wood products, textiles": {
        "ru": "мебель, изделия из дерева, текстиль",
        "be": "мэбля, вырабы з дрэва, тэкстыль",
        "de": "Möbel, Holzprodukte, Textilien",
    },
    "oil refining": {
        "ru": "нефтепереработка",
        "be": "нафтаперапрацоўка",
        "de": "Erdölverarbeitung",
    },
}

# ref -> field -> {language: text}
PEOPLE = {
    "bp001": {
        "role": {
            "ru": "Председатель БКДП; вице-президент МКП; член Административного совета МОТ "
            "(переизбран в июне 2024 года, находясь в заключении); бывший член Исполнительного "
            "комитета IUF",
            "be": "Старшыня БКДП; віцэ-прэзідэнт МКП; сябар Адміністрацыйнага савета МАП "
            "(пераабраны ў чэрвені 2024 года, знаходзячыся ў зняволенні); былы сябар "
            "Выканаўчага камітэта IUF",
            "de": "Präsident des BKDP; Vizepräsident des IGB; Mitglied des IAO-Verwaltungsrats "
            "(im Juni 2024 in Haft wiedergewählt); ehemaliges Mitglied des Exekutivausschusses "
            "der IUL",
        },
        "status_text": {
            "ru": "освобождён — среди 52 политзаключённых, освобождённых 11 сентября 2025 года "
            "после визита посланника США Джона Коула; вывезен в Литву, по сообщениям, в "
            "безопасности в Вильнюсе",
            "be": "вызвалены — сярод 52 палітвязняў, вызваленых 11 верасня 2025 года пасля "
            "візіту пасланца ЗША Джона Коўла; вывезены ў Літву, паводле паведамленняў, у "
            "бяспецы ў Вільні",
            "de": "freigelassen – unter 52 politischen Gefangenen, die am 11. September 2025 "
            "nach einem Besuch des US-Gesandten John Coale freikamen; nach Litauen gebracht, "
            "Berichten zufolge in Vilnius in Sicherheit",
        },
    },
}
