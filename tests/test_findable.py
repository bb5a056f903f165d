"""Findable and shareable: every page names its language, describes itself and gives its
canonical address; a person page previews the person in a chat; robots.txt lets search
engines read the pages readers open and keeps them off what costs the server; the
sitemap lists every person."""
import re
import sqlite3
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from registry import metadata
from registry.settings import DB_NAME as DB
from tests.conftest import make_datasette

pytestmark = pytest.mark.asyncio(loop_scope="session")

PAGES = ["/", f"/{DB}/persons/anar-mammadli", f"/{DB}/persons", "/-/search?text=Mamm",
         "/-/dashboards/registry", f"/{DB}/lists/working-group-2014-08-10",
         f"/{DB}/cases/emds-2013", f"/{DB}/people_held_now", f"/{DB}/articles", "/-/about",
         "/-/api"]


class Head(HTMLParser):
    """The <html lang>, the <meta> tags and the canonical link of a page."""

    def __init__(self, text):
        super().__init__()
        self.lang, self.meta, self.canonical = None, {}, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and a.get("content") is not None:
            self.meta.setdefault(a.get("name") or a.get("property"), a["content"])
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href"))


async def head(ds, path):
    r = await ds.client.get(path)
    if r.status_code == 301:  # a shared link's tracking parameters: plugins/page_meta.py
        r = await ds.client.get(r.headers["location"])
    assert r.status_code == 200, (path, r.status_code)
    return Head(r.text)


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_names_its_language_describes_itself_and_its_address(ds, path):
    h = await head(ds, path)
    assert h.lang == "en", path
    description = h.meta.get("description", "")
    assert 50 <= len(description) <= 320, (path, description)
    assert "{" not in description and "<" not in description, description
    assert h.canonical == [f"http://localhost{path}"], path
    assert h.meta.get("og:title") and h.meta.get("og:description"), path


async def test_the_canonical_address_drops_tracking_and_keeps_the_rest(ds):
    h = await head(ds, f"/{DB}/persons?category=journalist-blogger&utm_source=x&fbclid=abc&utm_medium=chat")
    assert h.canonical == [f"http://localhost/{DB}/persons?category=journalist-blogger"]


async def test_the_public_url_is_every_page_s_address_when_it_is_set(real_db, monkeypatch):
    monkeypatch.setenv("REGISTRY_PUBLIC_URL", "https://registry.example.org/")
    public = make_datasette(real_db)
    h = await head(public, f"/{DB}/persons/anar-mammadli?utm_campaign=share")
    assert h.canonical == [f"https://registry.example.org/{DB}/persons/anar-mammadli"]
    assert h.meta["og:url"] == h.canonical[0]
    robots = (await public.client.get("/robots.txt")).text
    assert "Sitemap: https://registry.example.org/sitemap.xml" in robots.splitlines()
    urls = await sitemap_urls(public)
    assert f"https://registry.example.org/{DB}/persons/anar-mammadli" in urls
    assert all(u.startswith("https://registry.example.org/") for u in urls)


def person(real_db, person_id):
    conn = sqlite3.connect(real_db)
    conn.row_factory = sqlite3.Row
    row = conn.execute("""select p.name, p.summary, ps.held_basis, ps.last_held_on
                          from persons p join person_status ps using (person_id)
                          where person_id = ?""", [person_id]).fetchone()
    conn.close()
    return row


@pytest.mark.parametrize("person_id", ["anar-mammadli", "tofig-yagublu", "abdul-abilov"])
async def test_a_person_page_previews_the_person(ds, real_db, person_id):
    p = person(real_db, person_id)
    h = await head(ds, f"/{DB}/persons/{person_id}")
    assert h.meta["og:title"] == p["name"] == h.meta["twitter:title"]
    assert h.meta["og:type"] == "profile"
    assert h.meta["twitter:card"] == "summary"
    assert h.meta["og:url"] == f"http://localhost/{DB}/persons/{person_id}"
    preview = h.meta["og:description"]
    assert preview == h.meta["twitter:description"]
    # The status with its date, then the summary's first sentence.
    assert re.search(r"\d{4}-\d\d-\d\d", preview), preview
    if p["held_basis"] in ("confirmed", "sentence_running"):
        assert preview.startswith("Held now") and p["last_held_on"] in preview, preview
    assert p["summary"].split(". ")[0][:60] in preview
    assert len(preview) <= 320
    assert h.meta["description"].startswith(p["name"])
    assert "Datasette" not in h.meta["og:title"] + preview


# robots.txt read as crawlers read it (RFC 9309): the longest matching rule wins, Allow on
# a tie; * matches any characters and a final $ anchors the end.
def robots_rules(text):
    rules = []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() in ("allow", "disallow") and value.strip():
            rules.append((field.strip().lower() == "allow", value.strip()))
    return rules


def rule_matches(pattern, path):
    anchored = pattern.endswith("$")
    regex = "".join(".*" if c == "*" else re.escape(c) for c in pattern.rstrip("$"))
    return re.match(regex + ("$" if anchored else ""), path) is not None


def allowed(rules, path):
    best = None
    for allow, pattern in rules:
        if rule_matches(pattern, path):
            key = (len(pattern), allow)
            if best is None or key > best:
                best = key
    return best is None or best[1]


READABLE = ["/", f"/{DB}/persons/anar-mammadli", f"/{DB}/persons/tofig-yagublu",
            f"/{DB}/lists/working-group-2014-08-10", f"/{DB}/cases/emds-2013", f"/{DB}/articles",
            f"/{DB}/persons", f"/{DB}/persons?category=journalist-blogger", f"/{DB}/people_held_now",
            "/-/search?text=Mamm", "/-/search", "/-/about", "/-/api", "/-/dashboards/registry",
            "/-/static/app.css", "/assets/publication.css"]
KEPT_OFF = [f"/{DB}?sql=select+1", f"/{DB}.json?sql=select+1", f"/{DB}/persons?category=x&sql=1",
            f"/{DB}/persons?_facet=status", f"/{DB}/persons?category=x&_facet_array=charges",
            f"/{DB}/persons?_sort=status", f"/{DB}/persons?_next=100", f"/{DB}/persons.json",
            f"/{DB}/persons.csv?_stream=on", f"/{DB}/persons/anar-mammadli.json",
            f"/{DB}/persons/anar-mammadli/all.json", f"/{DB}/lists/working-group-2014-08-10.json",
            f"/{DB}.db", "/downloads/persons.csv", "/-/versions.json", "/-/metadata",
            "/-/threads", "/-/dashboards/registry?since=2020-01-01", f"/{DB}/events.csv"]


async def test_robots_txt_lets_readers_pages_in_and_keeps_costly_ones_out(ds):
    r = await ds.client.get("/robots.txt")
    assert r.status_code == 200
    lines = r.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /" not in lines, "the whole site must not be shut"
    for line in ("Disallow: /*?sql=", "Disallow: /*_facet", "Disallow: /*.json",
                 "Disallow: /*.csv", "Disallow: /*.db", "Disallow: /-/", "Allow: /-/search?"):
        assert line in lines, line
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    rules = robots_rules(r.text)
    assert [p for p in READABLE if not allowed(rules, p)] == []
    assert [p for p in KEPT_OFF if allowed(rules, p)] == []


async def sitemap_urls(ds):
    r = await ds.client.get("/sitemap.xml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in ET.fromstring(r.text).findall("s:url/s:loc", ns)]


async def test_the_sitemap_lists_every_person_list_and_case(ds, real_db):
    urls = await sitemap_urls(ds)
    assert len(urls) == len(set(urls))
    assert f"http://localhost/{DB}/persons/anar-mammadli" in urls
    conn = sqlite3.connect(real_db)
    for table, key in (("persons", "person_id"), ("lists", "list_id"), ("cases", "case_id")):
        ids = {r[0] for r in conn.execute(f"select {key} from {table}")}
        listed = {u.rsplit("/", 1)[1] for u in urls if f"/{DB}/{table}/" in u}
        assert listed == ids, table
    conn.close()
    assert "http://localhost/" in urls
    # Every kind of page it lists answers (one of each: rendering all takes half a minute).
    kinds = {}
    for url in urls:
        kinds.setdefault(url.rsplit("/", 1)[0], url)
    for url in kinds.values():
        r = await ds.client.get(url.removeprefix("http://localhost"))
        assert r.status_code == 200, url


def vega_charts(metadata_yml):
    for dashboard in metadata_yml["plugins"]["datasette-dashboards"].values():
        for slug, chart in dashboard["charts"].items():
            if chart["library"] not in ("metric", "markdown"):
                yield slug, chart


async def test_every_dashboard_chart_has_its_figures_as_a_table(ds, metadata_yml):
    r = await ds.client.get("/-/dashboards/registry")
    for slug, chart in vega_charts(metadata_yml):
        assert chart.get("table"), f"{slug} has no table alternative"
        href = f"/{chart['db']}/{chart['table']}"
        assert f'href="{href.replace("&", "&amp;")}"' in r.text, slug
        answer = await ds.client.get(href)
        assert answer.status_code == 200, href


async def test_chart_text_is_readable_on_a_phone(real_db):
    """Vega's defaults are 10 px axis labels and 11 px titles."""
    for slug, chart in vega_charts(metadata.render(real_db)):
        config, title = chart["display"]["config"], chart["display"]["title"]
        for part in ("axis", "legend"):
            assert config[part]["labelFontSize"] >= 12 and config[part]["titleFontSize"] >= 12, slug
        assert title["fontSize"] >= 12 and title["subtitleFontSize"] >= 12, slug


async def test_a_shared_link_s_tracking_parameters_are_dropped_by_a_redirect(ds):
    """Datasette would read ?fbclid= on a table page as a column filter and show no rows."""
    r = await ds.client.get(f"/{DB}/persons?category=journalist-blogger&fbclid=abc&utm_source=x")
    assert r.status_code == 301
    assert r.headers["location"] == f"/{DB}/persons?category=journalist-blogger"
    r = await ds.client.get("/?utm_campaign=share")
    assert r.status_code == 301 and r.headers["location"] == "/"
    assert (await ds.client.get(f"/{DB}/persons?category=journalist-blogger")).status_code == 200
