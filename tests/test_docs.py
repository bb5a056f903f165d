"""The README's coverage figures are the database's: a data change that moves them fails here."""
import re
import sqlite3

from .conftest import ROOT


def coverage_text():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("<!-- coverage:start -->"):text.index("<!-- coverage:end -->")]


def figure(pattern):
    match = re.search(pattern, coverage_text())
    assert match, f"README coverage lacks {pattern!r}"
    return int(match.group(1))


def test_readme_coverage_matches_the_database(real_db):
    """Each figure, computed here by its own SQL, is the one the README states."""
    conn = sqlite3.connect(real_db)
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert figure(r"names \*\*(\d+) people\*\*") == one("SELECT count(*) FROM persons")
    assert figure(r"\*\*(\d+) published lists\s+and tallies\*\*") == one("SELECT count(*) FROM lists")
    assert figure(r"(\d+) of them are not itemised") == one("SELECT count(*) FROM lists WHERE NOT itemised")
    held = {basis: n for basis, n in conn.execute(
        "SELECT held_basis, count(*) FROM person_status GROUP BY held_basis")}
    assert figure(r"\*\*(\d+) people held now\*\*") == held.get("confirmed", 0) + held.get(
        "sentence_running", 0)
    assert figure(r"\*\*(\d+)\*\* whom a source dated") == held.get("confirmed", 0)
    assert figure(r"\*\*(\d+)\*\* serving a prison sentence") == held.get("sentence_running", 0)
    assert figure(r"\*\*(\d+)\*\* more were last reported held") == held.get("last_reported_held", 0)
    # The latest tally is a rule with one home, the latest_tally view; the home page and
    # the dashboard read the same view.
    latest_total, named = conn.execute("SELECT total, named FROM latest_tally").fetchone()
    assert figure(r"latest published count is \*\*(\d+)\*\*") == latest_total
    assert figure(r"reports name \*\*(\d+)\*\* of them") == named
    assert figure(r"\*\*(\d+) disagreements\*\*") == one("SELECT count(DISTINCT conflict_id) FROM conflicts")
    assert figure(r"\*\*(\d+) claims\*\*") == one("SELECT count(*) FROM conflicts")
    assert figure(r"\*\*(\d+) corrections\*\*") == one("SELECT count(*) FROM corrections")


DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md")),
        *sorted(ROOT.glob("importers/*/README.md"))]
# A backticked repository path: a top-level folder of this repository, then a file or folder.
PATH = re.compile(r"`((?:registry|plugins|sql|tools|importers|deploy|templates|static|schema|data|tests|docs)"
                  r"/[\w./-]*?)(?:[ `:]|\))")


def test_every_path_the_docs_name_exists():
    """A file moved or renamed without its documentation fails here."""
    missing = []
    for doc in DOCS:
        for path in PATH.findall(doc.read_text(encoding="utf-8")):
            if "*" not in path and "<" not in path and not (ROOT / path.rstrip(".")).exists():
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
    assert not missing, missing


def test_every_command_the_docs_name_exists():
    """`make X` is a Makefile target and `python -m X` an importable module."""
    import importlib.util
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    problems = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        problems += [f"{doc.name}: make {t}" for t in re.findall(r"`make ([a-z][\w-]*)", text)
                     if t not in targets]
        problems += [f"{doc.name}: python -m {m}" for m in re.findall(r"python -m ([a-z_][\w.]*)", text)
                     if m not in ("pytest", "pip", "venv", "datasette")
                     and importlib.util.find_spec(m) is None]
    assert not problems, problems


def test_contributing_walks_through_the_four_tasks():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("### Add a person", "### Add a detention", "### Add an event",
                    "### Add a list edition", "## What `make validate` checks"):
        assert heading in text


def test_the_changelog_lists_every_correction_of_the_release():
    from registry import corrections_log, datapackage
    release = datapackage.version()
    assert corrections_log.current(release) == corrections_log.section(release), \
        "run python -m registry.corrections_log --write"
    assert len(corrections_log.lines(release)) == sum(
        1 for line in (ROOT / "data" / "corrections.csv").read_text(encoding="utf-8").splitlines()[1:]
        if line.startswith(release + ","))
