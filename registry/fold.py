"""The one folding of names: every spelling of a name meets in one form.

Names reach the registry in Azerbaijani Latin (Məmmədli, Vaqifqızı), in English
transliteration (Mammadli, Vagifgizi, Jafarov), in Russian-style transliteration
(Mamedli, Dzhafarov, Guseynov) and in Cyrillic (Мамедли, Джафаров). fold() maps all of
them to one lower-case ASCII form, so the search index, the search box, the JSON API,
the validator's duplicate check and the importer agree on what "the same name" is.

English-style spelling for display and identifiers (Şəmşad -> Shamshad) is a different
job, done by english_spelling() and slug() below; they are kept here so that every rule
about how names are spelt has one home.
"""
import re
import unicodedata

# Russian and Azerbaijani Cyrillic, written the Russian-style way (Джафаров -> dzhafarov);
# the sound classes below then meet the Latin spellings.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "gh", "ҝ": "g", "ө": "o", "ү": "u", "һ": "h", "ҹ": "c",
    "ј": "y", "і": "i", "ї": "i", "є": "e", "ў": "u", "қ": "k", "ң": "n", "ұ": "u",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC | {k.upper(): v for k, v in _CYRILLIC.items()})

# Letters that unicodedata cannot decompose.
_SPECIAL = str.maketrans({"ə": "a", "Ə": "a", "ı": "i", "İ": "i", "I": "i"})

# One Azerbaijani sound, three conventions: Azerbaijani c / English j / Russian dzh;
# ş / sh / sh; ç / ch / ch; ğ / gh / g; q / g / g; x / kh / kh. Russian spelling writes
# Azerbaijani h as g or kh (Hüseynov: Гусейнов; Şahin: Шахин), so the whole class
# g, q, ğ, gh, h, x, kh folds to one letter. Vowels differ too: ə is a in English and e
# in Russian (Məmmədov, Mamedov), ı is i or y (Vaqifqızı, Vagifgyzy). Longer spellings
# first. The cost is a few more matches (Xalil also finds Halil), never a missed one.
_SOUNDS = [("dzh", "c"), ("dj", "c"), ("zh", "c"), ("kh", "g"), ("gh", "g"), ("sh", "s"),
           ("ch", "c"), ("ts", "s"), ("j", "c"), ("q", "g"), ("h", "g"), ("x", "g"),
           ("w", "v"), ("e", "a"), ("y", "i")]
_SOUND = re.compile("|".join(a for a, _ in _SOUNDS))
_SOUND_MAP = dict(_SOUNDS)
_REPEAT = re.compile(r"(.)\1+")
_WORD = re.compile(r"[a-z0-9]+")


def _latin(text):
    """Lower-case ASCII letters: Cyrillic transliterated, accents and dots dropped."""
    text = text.translate(_CYRILLIC_TABLE).translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def fold_word(word):
    """The folded form of one word: mammadli, Məmmədli, Mamedli and Мамедли -> mamadli."""
    word = _SOUND.sub(lambda m: _SOUND_MAP[m.group()], word)
    return _REPEAT.sub(r"\1", word)


def fold(text):
    """The folded form of a text: its words, each folded, joined by single spaces.

    Sevinc Vaqifqızı, Sevinj Vagifgizi, Sevinj Vagifgyzy and Севиндж Вагифгызы all give
    "savinc vagifgizi"; Cəfərov, Jafarov, Dzhafarov and Джафаров give "cafarov".
    """
    if not text:
        return ""
    return " ".join(fold_word(w) for w in _WORD.findall(_latin(text)))


def fold_query(text, keep=("AND", "OR", "NOT", "NEAR")):
    """A search query folded word by word, its punctuation and operators kept, so that
    quotes, prefix stars and FTS operators still mean what the reader typed."""
    if not text:
        return text or ""
    return " ".join(w if w in keep else _WORD.sub(lambda m: fold_word(m.group()), _latin(w))
                    for w in text.split(" "))


def search_forms(*texts):
    """The folded forms of the given texts, each word once, for a full-text index column."""
    words = []
    for text in texts:
        for word in fold(text).split():
            if word not in words:
                words.append(word)
    return " ".join(words)


# ---------------------------------------------------------------- duplicate check

_PATRONYMIC = re.compile(r"^(oglu|ogli|gizi|kizi)$")
_VOWEL = re.compile(r"[aiou]")
# A woman's surname (-ova, -eva, folded -ova/-ava) is another person's than the man's.
_FEMININE = re.compile(r"(ov|av)a$")
# Cyrillic letters that look like Latin ones. In a word that also has Latin letters they
# are look-alikes typed by mistake or on purpose (a Cyrillic "а" in "Аbdul"), so they
# read as the Latin letter they imitate, not as the Cyrillic sound.
_CONFUSABLE = str.maketrans("аеорсхуіјѕһкмнтвАЕОРСХУІЈЅҺКМНТВ", "aeopcxyijshkmhtbAEOPCXYIJSHKMHTB")
_LATIN = re.compile(r"[A-Za-z]")


def unconfuse(text):
    """Latin look-alikes inside Latin words read as Latin; whole Cyrillic words stay."""
    if not text:
        return ""
    return " ".join(w.translate(_CONFUSABLE) if _LATIN.search(w) else w for w in text.split())


def name_key(name):
    """A coarse key on which two spellings of one name agree, for the duplicate check.

    It is fold() with patronymic words dropped, vowels dropped after each word's first
    letter (transliterations disagree mostly on vowels) and the words sorted (surname
    first or last), so Tofiq Yaqublu / Yagublu Tofig and Mehralizada / Mehralizade meet.
    """
    words = [w for w in fold(unconfuse(name)).split() if not _PATRONYMIC.match(w)]
    words = [w[0] + _VOWEL.sub("", w[1:]) + ("a" if _FEMININE.search(w) else "") for w in words]
    return " ".join(sorted(_REPEAT.sub(r"\1", w) for w in words if w))


def father_name(patronymic_form):
    """The father's given name in a patronymic form, folded ("Nijat Nazim oglu Aliyev" -> "nazim")."""
    words = fold(patronymic_form).split()
    for i, word in enumerate(words):
        if _PATRONYMIC.match(word) and i > 0:
            return words[i - 1]
    return None


# ---------------------------------------------------------------- display and identifiers

_ENGLISH = str.maketrans({"ə": "a", "Ə": "A", "ı": "i", "İ": "I", "ğ": "g", "Ğ": "G",
                          "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"})


def english_spelling(text):
    """The English spelling of an Azerbaijani-Latin string (CONTRIBUTING.md): Şəmşad -> Shamshad."""
    text = text.replace("ş", "sh").replace("Ş", "Sh").replace("ç", "ch").replace("Ç", "Ch")
    text = text.translate(_ENGLISH)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug(text):
    """An identifier: the English spelling, lower case, words joined by hyphens."""
    text = re.sub(r"[^a-z0-9]+", "-", english_spelling(text).lower())
    return re.sub(r"-+", "-", text).strip("-")
