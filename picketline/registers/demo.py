"""Demo registers: the people, companies and international procedures of the research file, with
their sources, and guidance on writing to prisoners in our own words.

Register facts keep their real dates: they are history, not part of the campaign calendar.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from modeltranslation.translator import translator

from picketline.lib.demo_dates import DemoDates
from picketline.registers import demo_translations, exchange, research
from picketline.registers.models import (
    BusinessPartner,
    CaseEvent,
    Company,
    LabourConcern,
    Person,
    Procedure,
    Source,
    Union,
    WritingGuidance,
)
from picketline.web.content import content_changed

TRANSLATIONS = Path(__file__).parent / "data" / "demo-register-translations.json"

GUIDANCE = [
    {
        "title": {
            "en": "Write in Russian or Belarusian",
            "ru": "Пишите по-русски или по-белорусски",
            "be": "Пішыце па-беларуску або па-руску",
            "de": "Schreiben Sie auf Russisch oder Belarussisch",
        },
        "body": {
            "en": "Prison censors hold back letters they cannot read. A short letter in Russian or "
            "Belarusian reaches the person far more often than a long one in another language.\n\n"
            "If you do not speak either, write a few simple sentences and translate them with care; "
            "a postcard with a picture also says that someone is thinking of them.",
            "ru": "Тюремная цензура задерживает письма, которые не может прочитать. Короткое письмо "
            "на русском или белорусском доходит гораздо чаще, чем длинное на другом языке.\n\n"
            "Если вы не владеете ни одним из них, напишите несколько простых фраз и аккуратно "
            "переведите их; открытка с картинкой тоже говорит, что о человеке помнят.",
            "be": "Турэмная цэнзура затрымлівае лісты, якія не можа прачытаць. Кароткі ліст па-беларуску "
            "або па-руску даходзіць значна часцей, чым доўгі на іншай мове.\n\n"
            "Калі вы не ведаеце ніводнай з гэтых моў, напішыце некалькі простых сказаў і акуратна "
            "перакладзіце іх; паштоўка з малюнкам таксама кажа, што пра чалавека памятаюць.",
            "de": "Die Gefängniszensur hält Briefe zurück, die sie nicht lesen kann. Ein kurzer Brief auf "
            "Russisch oder Belarussisch kommt weit öfter an als ein langer in einer anderen Sprache.\n\n"
            "Wenn Sie keine der beiden Sprachen sprechen, schreiben Sie ein paar einfache Sätze und "
            "übersetzen Sie sie sorgfältig; auch eine Postkarte mit Bild zeigt, dass jemand an die "
            "Person denkt.",
        },
    },
    {
        "title": {
            "en": "What to leave out",
            "ru": "О чём не писать",
            "be": "Пра што не пісаць",
            "de": "Was Sie weglassen sollten",
        },
        "body": {
            "en": "Every letter is read by the prison administration. Leave out politics, the "
            "campaign, the union's work, sanctions, and the names of other activists: such a letter "
            "is not delivered, and it can make the prisoner's situation worse.\n\n"
            "Write about ordinary things: the weather where you live, a book, your family, that "
            "you remember them. Promise nothing you cannot keep.",
            "ru": "Каждое письмо читает администрация колонии. Не пишите о политике, о кампании, о "
            "работе профсоюза, о санкциях и не называйте других активистов: такое письмо не "
            "передадут, и оно может ухудшить положение заключённого.\n\n"
            "Пишите о простом: о погоде у вас, о книге, о своей семье, о том, что вы помните о "
            "человеке. Не обещайте того, что не сможете выполнить.",
            "be": "Кожны ліст чытае адміністрацыя калоніі. Не пішыце пра палітыку, пра кампанію, пра "
            "працу прафсаюза, пра санкцыі і не называйце іншых актывістаў: такі ліст не перададуць, "
            "і ён можа пагоршыць становішча вязня.\n\n"
            "Пішыце пра простае: пра надвор'е ў вас, пра кнігу, пра сваю сям'ю, пра тое, што вы "
            "памятаеце пра чалавека. Не абяцайце таго, чаго не зможаце выканаць.",
            "de": "Jeder Brief wird von der Gefängnisverwaltung gelesen. Lassen Sie Politik, die "
            "Kampagne, die Gewerkschaftsarbeit, Sanktionen und die Namen anderer Aktiver weg: "
            "ein solcher Brief wird nicht ausgehändigt und kann die Lage der Gefangenen "
            "verschlechtern.\n\n"
            "Schreiben Sie über Alltägliches: das Wetter bei Ihnen, ein Buch, Ihre Familie, dass "
            "Sie an die Person denken. Versprechen Sie nichts, was Sie nicht halten können.",
        },
    },
    {
        "title": {
            "en": "Check the address and the status first",
            "ru": "Сначала проверьте адрес и статус",
            "be": "Спачатку праверце адрас і статус",
            "de": "Prüfen Sie zuerst Adresse und Status",
        },
        "body": {
            "en": "People are moved between colonies and prisons, and many have been released. Each "
            "page of this register says when the status was last reported: if that report is old, "
            "ask the organisers before you write.\n\n"
            "Think about your own safety too: a return address is seen by the authorities.",
            "ru": "Заключённых переводят между колониями и тюрьмами, многих уже освободили. На "
            "странице каждого человека указано, когда его статус сообщался в последний раз: если "
            "сведения старые, спросите организаторов, прежде чем писать.\n\n"
            "Подумайте и о своей безопасности: обратный адрес видят власти.",
            "be": "Вязняў пераводзяць паміж калоніямі і турмамі, многіх ужо вызвалілі. На старонцы "
            "кожнага чалавека пазначана, калі пра яго статус паведамлялі апошні раз: калі звесткі "
            "старыя, спытайце арганізатараў, перш чым пісаць.\n\n"
            "Падумайце і пра ўласную бяспеку: зваротны адрас бачаць улады.",
            "de": "Gefangene werden zwischen Lagern und Gefängnissen verlegt, viele sind inzwischen "
            "frei. Jede Seite dieses Registers nennt das Datum der letzten Meldung zum Status: ist "
            "sie alt, fragen Sie die Organisatoren, bevor Sie schreiben.\n\n"
            "Denken Sie auch an Ihre eigene Sicherheit: die Behörden sehen den Absender.",
        },
    },
]

PROCEDURES = [
    {
        "key": "ilo-article-33-resolution-2023",
        "data": "ilo_resolution_2023",
        "decided_on": date(2023, 6, 12),
        "date_disputed": True,
        "date_note": "The day of adoption is inferred from a report published the following day; "
        "no primary ILO record with the plenary date was found.",
        "title": {
            "en": "ILO resolution under Article 33 on Belarus (2023)",
            "ru": "Резолюция МОТ по статье 33 в отношении Беларуси (2023)",
            "be": "Рэзалюцыя МАП паводле артыкула 33 у дачыненні да Беларусі (2023)",
            "de": "IAO-Resolution nach Artikel 33 zu Belarus (2023)",
        },
        "summary": {
            "en": "For the first time over freedom of association, the International Labour "
            "Conference used Article 33 of the ILO Constitution: it asked governments, employers "
            "and workers to review their relations with Belarus until the country follows the "
            "2004 Commission of Inquiry and frees the jailed trade unionists.",
            "ru": "Впервые по вопросу свободы объединения Международная конференция труда применила "
            "статью 33 Устава МОТ: она призвала правительства, работодателей и работников "
            "пересмотреть отношения с Беларусью, пока страна не выполнит рекомендации Комиссии по "
            "расследованию 2004 года и не освободит заключённых профсоюзных активистов.",
            "be": "Упершыню ў пытанні свабоды аб'яднанняў Міжнародная канферэнцыя працы ўжыла "
            "артыкул 33 Статута МАП: яна заклікала ўрады, працадаўцаў і работнікаў перагледзець "
            "адносіны з Беларуссю, пакуль краіна не выканае рэкамендацыі Камісіі па расследаванні "
            "2004 года і не вызваліць зняволеных прафсаюзных актывістаў.",
            "de": "Zum ersten Mal wegen der Vereinigungsfreiheit wandte die Internationale "
            "Arbeitskonferenz Artikel 33 der IAO-Verfassung an: Sie forderte Regierungen, "
            "Arbeitgeber und Beschäftigte auf, ihre Beziehungen zu Belarus zu überprüfen, bis das "
            "Land die Empfehlungen der Untersuchungskommission von 2004 umsetzt und die "
            "inhaftierten Gewerkschafter freilässt.",
        },
    },
    {
        "key": "ilo-commission-of-inquiry-2004",
        "data": "commission_of_inquiry",
        "decided_on": date(2004, 10, 8),
        "date_disputed": False,
        "date_note": "Date the report (GB.291/6) was published.",
        "title": {
            "en": "ILO Commission of Inquiry on Belarus (2004)",
            "ru": "Комиссия МОТ по расследованию в отношении Беларуси (2004)",
            "be": "Камісія МАП па расследаванні ў дачыненні да Беларусі (2004)",
            "de": "IAO-Untersuchungskommission zu Belarus (2004)",
        },
        "summary": {
            "en": "Set up after a complaint by workers' delegates in 2003, the Commission found that "
            "the Belarusian authorities interfered in trade unions and curtailed union members' "
            "civil liberties, and asked first of all that the independent unions be registered.",
            "ru": "Созданная после жалобы делегатов от работников в 2003 году, Комиссия установила, "
            "что белорусские власти вмешиваются в дела профсоюзов и ограничивают гражданские свободы "
            "их членов, и прежде всего потребовала зарегистрировать независимые профсоюзы.",
            "be": "Створаная пасля скаргі дэлегатаў ад работнікаў у 2003 годзе, Камісія ўстанавіла, "
            "што беларускія ўлады ўмешваюцца ў справы прафсаюзаў і абмяжоўваюць грамадзянскія "
            "свабоды іх сяброў, і перш за ўсё запатрабавала зарэгістраваць незалежныя прафсаюзы.",
            "de": "Die nach einer Beschwerde von Arbeitnehmerdelegierten 2003 eingesetzte Kommission "
            "stellte fest, dass die belarussischen Behörden in die Gewerkschaften eingreifen und "
            "die Bürgerrechte ihrer Mitglieder einschränken, und verlangte vor allem die "
            "Registrierung der unabhängigen Gewerkschaften.",
        },
    },
]


def procedure_facts(key: str, raw: dict) -> list[str]:
    if key == "ilo_resolution_2023":
        vote = raw.get("vote") or {}
        return [
            f"Body: {raw.get('body')}",
            f"Vote: {vote.get('for')} for, {vote.get('against')} against, "
            f"{vote.get('abstentions')} abstentions",
            f"Legal basis: {raw.get('legal_basis')}",
            f"Full title: {raw.get('title')}",
        ]
    report = raw.get("report") or {}
    complaint = raw.get("complaint") or {}
    return [
        f"Complaint: {complaint.get('type')}, {complaint.get('year')}, "
        f"conventions {', '.join(complaint.get('conventions') or [])}",
        f"Members: {', '.join(raw.get('members') or [])}",
        f"Report: {report.get('symbol')}, published {report.get('published')}",
    ]


def set_translated(obj: object, field: str, values: dict[str, str]) -> None:
    for language, text in values.items():
        setattr(obj, f"{field}_{language}", text)
    setattr(obj, field, values["en"])


def load(dates: DemoDates) -> None:
    data = research.load_research()
    exchange.plan_people(research.people(data)).apply()
    exchange.plan_companies(research.companies(data)).apply()
    for position, spec in enumerate(PROCEDURES):
        raw = data[spec["data"]]
        procedure, _created = Procedure.objects.get_or_create(
            key=spec["key"], defaults={"title": spec["title"]["en"]}
        )
        set_translated(procedure, "title", spec["title"])
        set_translated(procedure, "summary", spec["summary"])
        procedure.body_name = (raw.get("body") or "")[:300]
        procedure.decided_on = spec["decided_on"]
        procedure.date_disputed = spec["date_disputed"]
        procedure.date_note = spec["date_note"]
        procedure.facts = procedure_facts(spec["data"], raw)
        procedure.position = position
        procedure.save()
        procedure.sources.set([Source.for_url(url) for url in raw.get("sources") or []])
    for position, spec in enumerate(GUIDANCE):
        guidance, _created = WritingGuidance.objects.get_or_create(
            position=position, defaults={"title": spec["title"]["en"], "body": spec["body"]["en"]}
        )
        set_translated(guidance, "title", spec["title"])
        set_translated(guidance, "body", spec["body"])
        guidance.save()
    translate()


def demo_texts() -> dict[str, dict[str, str]]:
    """English text -> {language: translation}, from the packaged demo translations."""
    with open(TRANSLATIONS, encoding="utf-8") as handle:
        entries = json.load(handle)
    return {
        entry["en"]: {lang: entry[lang] for lang in demo_translations.LANGUAGES}
        for entry in entries
    }


def translated_value(value: object, language: str, texts: dict[str, dict[str, str]]) -> object:
    """``value`` (a text, or a list of texts) in ``language``; None unless all of it is known."""
    if isinstance(value, list):
        found = [translated_value(item, language, texts) for item in value]
        return found if value and None not in found else None
    if isinstance(value, str) and value in texts:
        return texts[value][language]
    return None


def translate() -> None:
    """Give the demo register its Russian, Belarusian and German text: the unions' names and
    the Cyrillic names the research file lacks (``demo_translations``), and every translated
    field whose English the demo translations hold; English stays as the research file
    writes it."""
    for key, names in demo_translations.UNIONS.items():
        fields = {}
        for language, (abbreviation, name) in names.items():
            fields[f"abbreviation_{language}"] = abbreviation
            fields[f"name_{language}"] = name
        Union.objects.filter(key=key).update(**fields)
    for person in Person.objects.filter(ref__in=demo_translations.NAMES):
        belarusian, russian = demo_translations.NAMES[person.ref]
        person.name_belarusian = person.name_belarusian or belarusian
        person.name_russian = person.name_russian or russian
        names = (person.name_belarusian, person.name_russian)
        person.other_spellings = [name for name in person.other_spellings if name not in names]
        person.save()
    texts = demo_texts()
    for model in (Person, CaseEvent, Company, LabourConcern, BusinessPartner, Procedure):
        fields = translator.get_options_for_model(model).fields
        for row in model.objects.all():
            values = {}
            for field in fields:
                for language in demo_translations.LANGUAGES:
                    value = translated_value(getattr(row, f"{field}_en"), language, texts)
                    if value is not None:
                        values[f"{field}_{language}"] = value
            if values:
                model.objects.filter(pk=row.pk).update(**values)
    for company in Company.objects.all():
        company.save()  # its search text holds its name in every language
    content_changed()
