"""The reader's language for the pages this project owns: ?lang=az or ?lang=ru, English
without it.

The language is part of the address, not a cookie or an Accept-Language guess: a link
shared in Azerbaijani opens in Azerbaijani, search engines index each language under
its own address (the pages name the others with hreflang links), and cached responses
stay exact. Templates get `lang`; `t(text)` for the interface's own words, keyed by
their English; `tf(text, **values)` for a sentence with values in it (the sentence is
ours, the values are escaped); `label(domain, code)` for codes; `languages`, the same
page in each language, for the switch and the hreflang links; and the filter
`localized_chart` for the dashboard's chart titles. Datasette's own table pages stay in
English. The labels come from the release's translations table (registry/translations.py).
"""
import copy
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from markupsafe import Markup

from registry import translations
from registry.settings import DB_NAME


def same_page_in(request, lang):
    """This page's address in lang: the query string kept, only lang changed."""
    pairs = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True) if k != "lang"]
    if lang != translations.DEFAULT:
        pairs.append(("lang", lang))
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def localized_chart(chart, lang):
    """A dashboard chart with its titles in lang (the vega spec's title too)."""
    if lang == translations.DEFAULT:
        return chart
    chart = copy.deepcopy(chart)
    for key in ("title", "description"):
        if isinstance(chart.get(key), str):
            chart[key] = translations.label("interface", chart[key], lang)
    title = (chart.get("display") or {}).get("title")
    if isinstance(title, dict) and isinstance(title.get("text"), str):
        title["text"] = translations.label("interface", title["text"], lang)
    elif isinstance(title, str):
        chart["display"]["title"] = translations.label("interface", title, lang)
    return chart


@hookimpl
def extra_template_vars(request, datasette):
    lang = translations.language(request.args.get("lang") if request else None)

    def t(text):
        return translations.label("interface", text, lang)

    def tf(text, **values):
        return Markup(t(text)).format(**values)

    return {
        "lang": lang, "t": t, "tf": tf,
        # A link to put into a tf() sentence: its address and text are escaped.
        "link": lambda href, text: Markup('<a href="{}">{}</a>').format(href, text),
        "label": lambda domain, code: translations.label(domain, code, lang),
        "term": lambda months: translations.term(months, lang),
        "languages": [{"code": code, "name": translations.NAMES[code], "current": code == lang,
                       "url": same_page_in(request, code),
                       "absolute": datasette.absolute_url(request, same_page_in(request, code))}
                      for code in translations.LANGUAGES] if request else [],
    }


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["localized_chart"] = localized_chart


@hookimpl
def startup(datasette):
    async def use_the_release_s_translations():
        db = datasette.databases.get(DB_NAME)
        if db is None or not await db.table_exists("translations"):
            return
        translations.load(dict(r) for r in (await db.execute("select * from translations")).rows)
    return use_the_release_s_translations
