"""The reader's language for the pages this project owns: ?lang=az or ?lang=ru, English
without it.

The language is part of the address, not a cookie or an Accept-Language guess: a link
shared in Azerbaijani opens in Azerbaijani, search engines index each language under
its own address (the pages name the others with hreflang links), and cached responses
stay exact. Templates get `lang`, `t(key)` for the interface's own words, `label(domain,
code)` for codes, and `languages`: the same page in each language, for the switch.
Datasette's own table pages stay in English.
"""
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from registry import translations
from registry.settings import DB_NAME


def same_page_in(request, lang):
    """This page's address in lang: the query string kept, only lang changed."""
    pairs = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True) if k != "lang"]
    if lang != translations.DEFAULT:
        pairs.append(("lang", lang))
    return request.path + ("?" + urlencode(pairs) if pairs else "")


@hookimpl
def extra_template_vars(request):
    lang = translations.language(request.args.get("lang") if request else None)
    return {
        "lang": lang,
        "t": lambda key: translations.label("interface", key, lang),
        "label": lambda domain, code: translations.label(domain, code, lang),
        "languages": [{"code": code, "name": translations.NAMES[code], "current": code == lang,
                       "url": same_page_in(request, code) if request else "/"}
                      for code in translations.LANGUAGES],
    }


@hookimpl
def startup(datasette):
    async def use_the_release_s_translations():
        db = datasette.databases.get(DB_NAME)
        if db is None or not await db.table_exists("translations"):
            return
        translations.load(dict(r) for r in (await db.execute("select * from translations")).rows)
    return use_the_release_s_translations
