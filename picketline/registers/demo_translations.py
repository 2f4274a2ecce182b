"""The demo register in Russian, Belarusian and German. English is the research file's own
wording; these are translations of it, not new facts: the unions' names here, and every other
text the register shows (roles, charges, statuses, notes, what is disputed, sectors, concerns…)
in ``data/demo-register-translations.json``, one entry per English text with its ``ru``,
``be`` and ``de``."""

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
