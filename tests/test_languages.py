"""The pages this project owns in English, Azerbaijani and Russian (?lang=az, ?lang=ru)."""
import csv
import json
import html
import re
import sqlite3

import pytest

from registry import translations
from registry.settings import DB_NAME as DB, ROOT

OWNED = ["/", f"/{DB}/persons/anar-mammadli", "/-/search?text=Mamm", "/-/dashboards/registry",
         f"/{DB}/lists/ufppa-2025-10-07", "/-/held-now"]


def with_lang(path, lang):
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def html_lang(text):
    return re.search(r'<html lang="([a-z]+)"', text).group(1)


@pytest.mark.parametrize("path", OWNED)
@pytest.mark.parametrize("lang", ["az", "ru"])
async def test_each_owned_page_speaks_the_language_asked_for(ds, path, lang):
    r = await ds.client.get(with_lang(path, lang))
    assert r.status_code == 200
    assert html_lang(r.text) == lang
    # hreflang links name the page in every language, and the switch keeps the page.
    for other in translations.LANGUAGES:
        assert f'hreflang="{other}"' in r.text
    path_only = path.split("?")[0]
    switch = re.search(r'<nav class="language-switch".*?</nav>', r.text, re.S).group(0)
    assert html.escape(path_only) in switch and f'aria-current="page">{translations.NAMES[lang]}' in switch


@pytest.mark.parametrize("path", OWNED)
async def test_english_stays_the_default(ds, path):
    r = await ds.client.get(path)
    assert html_lang(r.text) == "en"


async def test_the_home_page_links_its_azerbaijani_and_russian_versions(ds):
    r = await ds.client.get("/")
    assert 'hreflang="az" href="http' in r.text and "?lang=az" in r.text
    assert 'hreflang="ru" href="http' in r.text and "?lang=ru" in r.text
    az = (await ds.client.get("/?lang=az")).text
    assert "Hazırda kim həbsdədir" in az and "Who is held now" not in az
    ru = (await ds.client.get("/?lang=ru")).text
    assert "Кто сейчас под стражей" in ru


async def test_the_home_page_figures_are_the_release_s_in_every_language(ds, real_db):
    held = sqlite3.connect(real_db).execute("select held_now from held_now_summary").fetchone()[0]
    for lang, words in [("az", f"Hazırda həbsdə: {held} nəfər"), ("ru", f"Сейчас под стражей: {held}</strong>")]:
        assert words in (await ds.client.get(f"/?lang={lang}")).text


async def test_a_person_page_in_azerbaijani_shows_the_azerbaijani_spelling(ds, real_db):
    conn = sqlite3.connect(real_db)
    pid, name, name_az, status = conn.execute(
        "select person_id, name, name_az, status from persons where name_az is not null "
        "and name_az != name order by person_id limit 1").fetchone()
    az = (await ds.client.get(f"/{DB}/persons/{pid}?lang=az")).text
    assert re.search(rf"<h1 class=\"person-name\"><span lang=\"az\">{re.escape(html.escape(name_az))}</span>", az)
    assert f"<title>{html.escape(name_az)}:" in az
    assert translations.label("status", status, "az") in az
    en = (await ds.client.get(f"/{DB}/persons/{pid}")).text
    assert f"<h1 class=\"person-name\">{html.escape(name)}" in en


async def test_codes_read_in_the_reader_s_language(ds):
    ru = (await ds.client.get(f"/{DB}/persons/anar-mammadli?lang=ru")).text
    assert "Правозащитник" in ru and "Хронология" in ru and "Задержания" in ru
    assert translations.label("event_kind", "arrested", "ru") in ru


async def test_sentence_terms_use_each_language_s_plurals():
    assert translations.term(108, "ru") == "9 лет" and translations.term(24, "ru") == "2 года"
    assert translations.term(66, "az") == "5 il 6 ay" and translations.term(12) == "1 year"


async def test_a_query_is_escaped_in_every_language(ds):
    r = await ds.client.get("/-/search?lang=ru&text=" + "%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


async def test_the_search_form_keeps_the_language(ds):
    r = await ds.client.get("/-/search?text=Mamm&lang=az")
    assert '<input type="hidden" name="lang" value="az">' in r.text
    assert f"/{DB}/persons/anar-mammadli?lang=az" in r.text


async def test_datasette_s_own_table_pages_stay_in_english(ds):
    r = await ds.client.get(f"/{DB}/persons?lang=az")
    assert html_lang(r.text) == "en"


async def test_the_dashboard_titles_its_charts_in_the_language(ds):
    r = await ds.client.get("/-/dashboards/registry?lang=ru")
    assert "Реестр в цифрах" in r.text
    title = "Сейчас под стражей по категориям"
    assert title in r.text  # the card's heading
    assert json.dumps(title)[1:-1] in r.text  # and the chart's own title, drawn by vega


def template_keys():
    keys = set()
    for path in sorted((ROOT / "templates").glob("*.html")):
        for m in re.finditer(r"\bt[f]?\(\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)')", path.read_text()):
            keys.add(m.group(1) if m.group(1) is not None else m.group(2))
    return keys - {"only the "}  # the start of a key completed in the template


def test_every_interface_text_has_azerbaijani_and_russian():
    with open(translations.PATH, encoding="utf-8", newline="") as f:
        rows = {r["code"]: r for r in csv.DictReader(f) if r["domain"] == "interface"}
    missing = [k for k in template_keys() if not (rows.get(k) and rows[k]["az"] and rows[k]["ru"])]
    assert not missing, missing
    for precision in ("day", "month", "year"):
        assert rows[f"only the {precision} is known"]["ru"]


def test_translated_sentences_keep_their_placeholders():
    with open(translations.PATH, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["domain"] != "interface" or r["code"] == "home.intro":
                continue
            wanted = sorted(re.findall(r"\{(\w+)\}", r["code"]))
            for lang in ("az", "ru"):
                assert sorted(re.findall(r"\{(\w+)\}", r[lang])) == wanted, (r["code"], lang)


def test_no_interface_text_is_left_unused():
    """A row whose English no template uses is a translation nobody reads."""
    dynamic = {"home.intro", "only the day is known", "only the month is known", "only the year is known"}
    from registry.settings import load_metadata
    dashboard = load_metadata()["plugins"]["datasette-dashboards"]["registry"]
    dynamic |= {dashboard["title"], dashboard["description"], "Azerbaijan Political Prisoners Registry"}
    dynamic |= {f["name"] for f in dashboard.get("filters", {}).values()}
    dynamic |= {c["title"] for c in dashboard["charts"].values() if c.get("title")}
    with open(translations.PATH, encoding="utf-8", newline="") as f:
        unused = [r["code"] for r in csv.DictReader(f) if r["domain"] == "interface"
                  and r["code"] not in template_keys() | dynamic]
    assert not unused, unused


@pytest.mark.parametrize("path,lang,home", [(f"/{DB}/persons/anar-mammadli", "az", "ana səhifə"),
                                            (f"/{DB}/lists/ufppa-2025-10-07", "ru", "главная")])
async def test_the_way_back_is_in_the_reader_s_language(ds, path, lang, home):
    r = await ds.client.get(f"{path}?lang={lang}")
    crumbs = re.search(r'<p class="crumbs">.*?</p>', r.text, re.S).group(0)
    assert f'href="/?lang={lang}">{home}</a>' in crumbs
