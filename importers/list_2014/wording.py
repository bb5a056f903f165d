"""The registry's own sentences about a record: group labels, summaries, event texts.

Only facts are put into words here; no sentence of the document is copied.
"""
from __future__ import annotations

import re

from .dates import human_date, human_term
from .facts import Verdict
from .html_pages import ws

LIFE = "death_commuted_to_life"


def section_label(letter: str, printed_title: str) -> str:
    """Section heading as printed, in the sentence case the list's own
    introduction uses ("A. Journalists and bloggers"); the body prints the
    headings in capitals.  Only case and whitespace are normalised."""
    t = ws(printed_title)
    return f"{letter}. {t[:1].upper()}{t[1:].lower()}"


def summary(group: str, subsection: str, arrested: str, articles: list[str],
            verdict: Verdict | None, history: tuple[str, str] | None) -> str:
    art_list = ", ".join(a.replace("1960:", "") for a in articles)
    code_words = "articles of the 1960 Criminal Code" if articles[0].startswith("1960:") else (
        "Criminal Code article" + ("s" if len(articles) > 1 else ""))
    sub_plain = re.sub(r"^[a-g]\. ", "", subsection).rstrip(". ")
    # "Other cases" names no group, so it adds nothing to the sentence.
    sub_words = f" ({sub_plain})" if subsection and "Other cases" not in subsection else ""
    text = (f"Listed in August 2014 under {group[3:].lower()}{sub_words}. "
            f"Arrested on {human_date(arrested)} and charged under {code_words} {art_list}. ")
    if verdict is None:
        text += "In pre-trial detention as of 10 August 2014."
    elif verdict.kind == LIFE:
        text += (f"Sentenced to death on {human_date(verdict.sentenced_on)}; "
                 "the sentence was replaced by life imprisonment.")
    elif history:
        text += history[0]
    elif verdict.months:
        text += f"Sentenced to {human_term(int(verdict.months))} on {human_date(verdict.sentenced_on)}."
    elif verdict.sentenced_on:
        text += (f"Verdict in the case given on {human_date(verdict.sentenced_on)}; "
                 "the list states no sentence for him.")
    else:
        text += "Convicted; the list states no sentence."
    return text.strip()


def sentenced_description(verdict: Verdict, history: tuple[str, str] | None) -> str:
    if verdict.kind == LIFE:
        return "Sentenced to death; the sentence was later replaced by life imprisonment."
    if history:
        return history[1]
    if verdict.months:
        return f"Sentenced to {human_term(int(verdict.months))} in prison."
    return "Verdict given in the group case; no individual sentence stated in the list."
