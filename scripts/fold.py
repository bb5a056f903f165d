"""Fold Azerbaijani spellings so that a search or a duplicate check sees one name.

SQLite's unicode61 tokenizer strips ş ç ğ ö ü but leaves ə and ı, so "Məmmədli"
would never meet "Mammadli". Both the index and the query go through fold().
"""
import re
import unicodedata

# Letters that unicodedata cannot decompose, folded as English spellings do.
_SPECIAL = str.maketrans({"ə": "a", "Ə": "a", "ı": "i", "İ": "i", "I": "i"})


def fold(text):
    """Lower-case ASCII form: Məmmədli -> mammadli, Qızı -> qizi, Şəmşad -> samsad."""
    if not text:
        return ""
    if text.isascii():
        # Nothing to decompose or strip: the same result, without the per-letter pass
        # that dominates the build's search column and the duplicate check at scale.
        return text.lower()
    text = text.translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower()


def fold_e(text):
    """The same, with ə read as e (Memmedli), the other common Latin spelling."""
    if not text:
        return ""
    return fold(text.replace("ə", "e").replace("Ə", "e"))


def search_forms(*texts):
    """Every folded form of the given texts, for a full-text index column."""
    forms = []
    for text in texts:
        if not text:
            continue
        for form in (fold(text), fold_e(text)):
            if form not in forms:
                forms.append(form)
    return " ".join(forms)


_PATRONYMIC = re.compile(r"\b(oglu|ogly|gizi|qizi|kizi|kyzy)\b")
# English transliterations write one Azerbaijani sound several ways.
_SOUNDS = [("kh", "x"), ("gh", "g"), ("q", "g"), ("sh", "s"), ("ch", "c"), ("j", "c"),
           ("y", "i"), ("w", "v")]


# Compiled once: name_key runs for every name and alias on every validation.
_NOT_LETTER = re.compile(r"[^a-z ]")
_VOWEL = re.compile(r"[aeiou]")
_REPEAT = re.compile(r"(.)\1+")
_FEMININE = re.compile(r"(ov|ev)a$")


# Cyrillic letters that look like Latin ones. In a word that also has Latin letters they
# are look-alikes typed by mistake or on purpose (a Cyrillic "а" in "Аbdul"), so the
# duplicate check reads them as the Latin letter they imitate.
_CONFUSABLE = str.maketrans("аеорсхуіјѕһкмнтвАЕОРСХУІЈЅҺКМНТВ", "aeopcxyijshkmhtbAEOPCXYIJSHKMHTB")
_LATIN = re.compile(r"[A-Za-z]")


def unconfuse(text):
    """Latin look-alikes inside Latin words read as Latin; whole Cyrillic words stay."""
    if not text:
        return ""
    return " ".join(w.translate(_CONFUSABLE) if _LATIN.search(w) else w for w in text.split())


def name_key(name):
    """A coarse key on which two spellings of one name agree.

    Tofiq Yaqublu / Tofig Yagublu, Vagifgizi / Vaqifqizi, Mehralizada / Mehralizade all
    meet. Vowels are dropped after the first letter of each word because
    transliterations disagree mostly on vowels.
    """
    text = _PATRONYMIC.sub(" ", fold(unconfuse(name)))
    text = _NOT_LETTER.sub(" ", text)
    for a, b in _SOUNDS:
        text = text.replace(a, b)
    # A woman's surname (-ova, -eva) is another person's than the man's: keep the ending.
    words = [w[0] + _VOWEL.sub("", w[1:]) + ("a" if _FEMININE.search(w) else "")
             for w in text.split()]
    words = [_REPEAT.sub(r"\1", w) for w in words if w]
    return " ".join(sorted(words))


def father_name(patronymic_form):
    """The father's given name in a patronymic form ("Nijat Nazim oglu Aliyev" -> "nazim")."""
    words = fold(patronymic_form).replace(",", " ").split()
    for i, word in enumerate(words):
        if _PATRONYMIC.fullmatch(word) and i > 0:
            return words[i - 1]
    return None
