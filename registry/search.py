"""The search box's query: any spelling, any start of a word, never an FTS syntax error."""
import re

from .fold import fold

MAX_TERMS = 8


def fts_prefix_query(text):
    """'Məmmədli an' -> '"mammadli"* AND "an"*'; None when no word is left.

    Words are runs of letters and digits after folding, so quotes, stars, brackets and
    operators typed by a user can never reach FTS5 as syntax.
    """
    words = re.findall(r"[0-9a-z]+", fold(text or ""))[:MAX_TERMS]
    if not words:
        return None
    return " AND ".join(f'"{w}"*' for w in words)
