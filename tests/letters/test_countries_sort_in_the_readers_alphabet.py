"""The letter form's countries are in the order of the reader's alphabet."""

from django.utils import translation

from picketline.letters.countries import OTHER, country_choices


def names(language: str) -> list[str]:
    with translation.override(language):
        return [name for code, name in country_choices() if code != OTHER]


def test_it_puts_the_belarusian_i_between_z_and_k_not_after_ya():
    shown = names("be")
    # Ірландыя, Іспанія, Італія sit after Злучаныя Штаты and before Канада.
    assert shown.index("Злучаныя Штаты Амерыкі") < shown.index("Ірландыя")
    assert shown.index("Італія") < shown.index("Канада")
    assert shown[-1] != "Італія"
    first_letters = [name[0] for name in shown]
    assert first_letters == sorted(first_letters, key="АБВГДЕЁЖЗІЙКЛМНОПРСТУЎФХЦЧШЫЬЭЮЯ".index)


def test_it_keeps_the_russian_order_with_yo_and_e_together():
    shown = names("ru")
    assert shown.index("Италия") < shown.index("Канада") < shown.index("Латвия")
    first_letters = [name[0] for name in shown]
    assert first_letters == sorted(first_letters, key="АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ".index)


def test_a_latin_list_sorts_accented_letters_with_their_base():
    from picketline.lib.collation import sort_key

    assert sorted(["Österreich", "Polen", "Niederlande"], key=sort_key) == [
        "Niederlande",
        "Österreich",
        "Polen",
    ]
