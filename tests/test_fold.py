"""registry/fold.py: the one folding that the index, the search box, the JSON API, the
duplicate check and the importer share."""
import pytest

from registry.fold import english_spelling, fold, name_key, search_forms, slug


@pytest.mark.parametrize("spellings", [
    ("Cəfər", "Jafar", "Dzhafar", "Джафар"),
    ("Çingiz", "Chingiz", "Чингиз"),
    ("Qədir", "Gadir", "Гадир"),
    ("Xəlil", "Khalil", "Халил"),
    ("Ağa", "Agha", "Aga", "Ага"),
    ("Şahin", "Shahin", "Шахин"),
    ("Hüseyn", "Huseyn", "Guseyn", "Гусейн"),
    ("Sevinc Vaqifqızı", "Sevinj Vagifgizi", "Sevinj Vagifgyzy", "Севиндж Вагифгызы"),
    ("Məmmədli", "Mammadli", "Mamedli", "Мамедли", "MAMMADLI"),
    ("İlqar Məmmədov", "Ilgar Mammadov", "Ильгар Мамедов"),
    ("Əliyev", "Aliyev", "Aliev", "Алиев"),
])
def test_every_convention_folds_to_one_form(spellings):
    """Azerbaijani c/ç/q/x/ğ/ş, English j/ch/g/kh/gh/sh and Russian dzh/ch/g/kh/g/sh meet."""
    assert len({fold(s) for s in spellings}) == 1, {s: fold(s) for s in spellings}


def test_different_names_stay_apart():
    for a, b in [("Tofig", "Tural"), ("Aliyev", "Aliyeva"), ("Mammadli", "Mammadov"),
                 ("Samir", "Sabir"), ("Rasul", "Rauf")]:
        assert fold(a) != fold(b)


def test_fold_splits_words_and_drops_punctuation():
    assert fold("  Anar   Məmmədli, (EMDS)") == "anar mamadli amds"
    assert fold("") == "" and fold(None) == ""


def test_search_forms_keeps_each_word_once():
    assert search_forms("Anar Məmmədli", "Anar Mammadli", None) == "anar mamadli"


def test_name_key_keeps_women_apart_and_ignores_word_order():
    assert name_key("Arzu Huseynova") != name_key("Arzu Huseynov")
    assert name_key("Yagublu Tofig") == name_key("Tofiq Yaqublu")
    assert name_key("Nijat Nazim oglu Aliyev") == name_key("Nijat Nazim Aliyev")


def test_english_spelling_and_slug():
    assert english_spelling("Şəmşad Ağa") == "Shamshad Aga"
    assert slug("Şəmşad  Ağa!") == "shamshad-aga"


def test_fold_query_keeps_operators_and_punctuation():
    from registry.fold import fold_query
    assert fold_query('"Məmmədli" OR Cəfər*') == '"mamadli" OR cafar*'
    assert fold_query("<b>Şahin</b>") == "<b>sagin</b>"
