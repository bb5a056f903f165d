-- Views behind the pages, charts and saved queries. Each rule has its home here, and
-- every page reads it from these views, so the home page, the dashboard, the saved
-- queries and the README can never disagree.

-- held_statuses, the statuses that mean custody, is in held_statuses.sql: the validator
-- reads it too, and the build runs it first.

-- The date the data release speaks for (datapackage.json "created"), and the start of
-- the 24-month window within which a source must confirm custody. A fixed date, not
-- today's: a page served next year still says what this release knew, and when.
CREATE VIEW registry_as_of AS
SELECT value AS as_of, date(value, '-24 months') AS window_start
FROM registry_build WHERE key = 'data_as_of';

-- Every dated statement that a person was in custody on that day, with its source.
CREATE VIEW custody_evidence AS
SELECT p.person_id, p.status_as_of AS date, p.status_source_id AS source_id,
       'status' AS kind, p.status AS detail
FROM persons p
WHERE p.status IN (SELECT status FROM held_statuses) AND p.status_as_of IS NOT NULL
UNION ALL
SELECT e.person_id, e.date, e.source_id, 'event', e.kind
FROM events e
WHERE e.kind IN ('arrested', 'charged', 'pretrial_detention_ordered', 'pretrial_detention_extended',
                 'house_arrest_ordered', 'house_arrest_refused', 'sentenced', 'appeal_decided',
                 'cassation_decided', 'reported_held')
UNION ALL
SELECT d.person_id, d.arrested_on, d.source_id, 'detention', 'arrested'
FROM detentions d WHERE d.arrested_on IS NOT NULL
UNION ALL
SELECT d.person_id, d.sentenced_on, d.source_id, 'detention', 'sentenced'
FROM detentions d
WHERE d.sentenced_on IS NOT NULL
  AND d.sentence_kind IN ('imprisonment', 'life_imprisonment', 'death_commuted_to_life')
UNION ALL
SELECT le.person_id, l.as_of, le.source_id, 'list', le.list_id
FROM list_entries le JOIN lists l ON l.list_id = le.list_id
WHERE l.as_of IS NOT NULL;

-- Every dated statement that a person left custody (or died), with its source. A move
-- from prison to house arrest is not a release from custody.
CREATE VIEW release_evidence AS
SELECT d.person_id, d.released_on AS date, d.release_source_id AS source_id,
       'detention' AS kind,
       -- worded as the events are, so one outcome is not counted under two names
       CASE d.release_reason WHEN 'pardon' THEN 'pardoned' WHEN 'amnesty' THEN 'amnestied'
            ELSE d.release_reason END AS detail
FROM detentions d
WHERE d.released_on IS NOT NULL AND coalesce(d.release_reason, '') != 'house_arrest'
UNION ALL
SELECT e.person_id, e.date, e.source_id, 'event', e.kind
FROM events e WHERE e.kind IN ('released', 'pardoned')
UNION ALL
SELECT p.person_id, p.status_as_of, p.status_source_id, 'status', p.status
FROM persons p
WHERE p.status NOT IN (SELECT status FROM held_statuses) AND p.status_as_of IS NOT NULL
UNION ALL
SELECT lr.person_id, l.as_of, lr.source_id, 'list_removal', lr.reason
FROM list_removals lr JOIN lists l ON l.list_id = lr.list_id
WHERE l.as_of IS NOT NULL AND lr.reason IN ('released', 'pardoned', 'died');

-- Prison sentences on record that still run on the release date, from detentions with no
-- release. A term counts from the arrest, since time on remand counts towards it; where
-- the arrest date is unknown the end cannot be known, so the term is not counted (counting
-- from the verdict would keep people "held" after their term ended). Life has no end.
CREATE VIEW running_sentences AS
SELECT d.person_id, d.detention_id, d.sentence_kind, d.sentence_months, d.sentenced_on,
       d.arrested_on AS counted_from,
       CASE WHEN d.sentence_kind = 'imprisonment'
            THEN date(d.arrested_on, '+' || d.sentence_months || ' months')
       END AS ends_on,
       d.source_id
FROM detentions d, registry_as_of r
WHERE d.released_on IS NULL
  AND (d.sentence_kind IN ('life_imprisonment', 'death_commuted_to_life')
       OR (d.sentence_kind = 'imprisonment' AND d.sentence_months IS NOT NULL
           AND d.arrested_on IS NOT NULL
           AND date(d.arrested_on, '+' || d.sentence_months || ' months') > r.as_of));

-- The detention a person is held in now: their latest one with no release on record.
CREATE VIEW current_detentions AS
SELECT person_id, detention_id, arrested_on, arrested_precision, place_id, case_id,
       sentence_kind, sentence_months, sentenced_on
FROM (SELECT d.*, row_number() OVER (
          PARTITION BY d.person_id
          ORDER BY coalesce(d.arrested_on, d.sentenced_on) IS NULL,
                   coalesce(d.arrested_on, d.sentenced_on) DESC, d.detention_id DESC) AS n
      FROM detentions d WHERE d.released_on IS NULL)
WHERE n = 1;

-- THE held-now rule, one row per person. A person is held now when their latest custody
-- statement is later than their latest release statement, and either
--   confirmed:        that statement falls within the 24 months before the release date, or
--   sentence_running: a prison sentence of theirs still runs on the release date.
-- Anyone else whose latest statement is custody is last_reported_held (on last_held_on),
-- never held now; so is a person whose recorded term, counted from the arrest, ended
-- before the release date with no custody reported after its end (the release simply
-- went unreported). Everyone else is not_held.
CREATE VIEW person_status AS
WITH latest_custody AS (
    SELECT person_id, date, source_id, kind, detail FROM (
        SELECT c.*, row_number() OVER (
            PARTITION BY c.person_id
            ORDER BY c.date DESC,
                     CASE c.kind WHEN 'event' THEN 0 WHEN 'list' THEN 1 WHEN 'detention' THEN 2 ELSE 3 END,
                     c.source_id) AS n
        FROM custody_evidence c)
    WHERE n = 1),
latest_release AS (
    SELECT person_id, max(date) AS date FROM release_evidence GROUP BY person_id),
sentence AS (
    SELECT person_id, detention_id, ends_on, sentence_kind FROM (
        SELECT s.*, row_number() OVER (
            PARTITION BY s.person_id ORDER BY s.ends_on IS NOT NULL, s.ends_on DESC) AS n
        FROM running_sentences s)
    WHERE n = 1),
term_over AS (
    SELECT cd.person_id, date(cd.arrested_on, '+' || cd.sentence_months || ' months') AS ended_on
    FROM current_detentions cd, registry_as_of r
    WHERE cd.sentence_kind = 'imprisonment' AND cd.sentence_months IS NOT NULL
      AND cd.arrested_on IS NOT NULL
      AND date(cd.arrested_on, '+' || cd.sentence_months || ' months') <= r.as_of)
SELECT p.person_id, p.name, p.category, p.status, p.status_as_of,
       CASE
         WHEN lc.date IS NULL OR (lr.date IS NOT NULL AND lr.date >= lc.date) THEN 'not_held'
         -- A source says released, pardoned or dead without a date: nothing later is known.
         WHEN p.status NOT IN (SELECT status FROM held_statuses) AND p.status_as_of IS NULL
           THEN 'not_held'
         WHEN t.ended_on IS NOT NULL AND lc.date <= t.ended_on THEN 'last_reported_held'
         WHEN lc.date >= r.window_start THEN 'confirmed'
         WHEN s.detention_id IS NOT NULL THEN 'sentence_running'
         ELSE 'last_reported_held'
       END AS held_basis,
       CASE
         WHEN lc.date IS NULL OR (lr.date IS NOT NULL AND lr.date >= lc.date) THEN 0
         WHEN p.status NOT IN (SELECT status FROM held_statuses) AND p.status_as_of IS NULL THEN 0
         WHEN t.ended_on IS NOT NULL AND lc.date <= t.ended_on THEN 0
         WHEN lc.date >= r.window_start OR s.detention_id IS NOT NULL THEN 1
         ELSE 0
       END AS held_now,
       lc.date AS last_held_on, lc.source_id AS last_held_source_id,
       lc.kind AS last_held_kind, lc.detail AS last_held_detail,
       lr.date AS last_released_on,
       s.detention_id AS sentence_detention_id, s.sentence_kind AS running_sentence_kind,
       s.ends_on AS sentence_ends_on, t.ended_on AS term_ended_on,
       r.as_of AS registry_as_of, r.window_start
FROM persons p CROSS JOIN registry_as_of r
LEFT JOIN latest_custody lc ON lc.person_id = p.person_id
LEFT JOIN latest_release lr ON lr.person_id = p.person_id
LEFT JOIN sentence s ON s.person_id = p.person_id
LEFT JOIN term_over t ON t.person_id = p.person_id;

-- Everyone held now, with the basis, the latest confirmation and its source, and the
-- detention they are held in.
CREATE VIEW held_now AS
SELECT ps.person_id, p.name, p.name_az, p.gender, p.category, ps.held_basis,
       ps.last_held_on, ps.last_held_source_id, s.url AS last_held_source_url,
       ps.sentence_ends_on, p.status, p.status_as_of, cd.detention_id, cd.arrested_on,
       cd.place_id, pl.name AS place, cd.case_id, cs.name AS case_name, cd.sentence_kind,
       cd.sentence_months, cd.sentenced_on, p.affiliation, p.charges
FROM person_status ps JOIN persons p ON p.person_id = ps.person_id
JOIN sources s ON s.source_id = ps.last_held_source_id
LEFT JOIN current_detentions cd ON cd.person_id = ps.person_id
LEFT JOIN places pl ON pl.place_id = cd.place_id
LEFT JOIN cases cs ON cs.case_id = cd.case_id
WHERE ps.held_now;

-- The held-now figures per category: confirmed and sentence-running apart, and those
-- last reported held before the window, who are not counted.
CREATE VIEW held_now_by_category AS
SELECT c.category_id AS category, c.name,
       coalesce(sum(ps.held_basis = 'confirmed'), 0) AS confirmed,
       coalesce(sum(ps.held_basis = 'sentence_running'), 0) AS sentence_running,
       coalesce(sum(ps.held_now), 0) AS held_now,
       coalesce(sum(ps.held_basis = 'last_reported_held'), 0) AS last_reported_held,
       count(ps.person_id) AS people
FROM categories c LEFT JOIN person_status ps ON ps.category = c.category_id
GROUP BY c.category_id
ORDER BY held_now DESC, people DESC, c.category_id;

-- The same figures for the whole registry, in one row, with the date they speak for.
CREATE VIEW held_now_summary AS
SELECT sum(ps.held_basis = 'confirmed') AS confirmed,
       sum(ps.held_basis = 'sentence_running') AS sentence_running,
       sum(ps.held_now) AS held_now,
       sum(ps.held_basis = 'last_reported_held') AS last_reported_held,
       sum(ps.held_basis = 'not_held') AS not_held,
       count(*) AS people,
       r.as_of AS registry_as_of, r.window_start
FROM person_status ps CROSS JOIN registry_as_of r;

-- The latest published count of all political prisoners (the main scope), and how many
-- of its people the registry names: entries on it or on a report of the same list.
CREATE VIEW latest_tally AS
SELECT l.list_id, l.total, l.total_qualifier, l.as_of, l.compiler, l.title, s.url AS source_url,
       (SELECT count(DISTINCT le.person_id) FROM list_entries le
        WHERE le.list_id = l.list_id
           OR le.list_id IN (SELECT list_id FROM lists WHERE same_list_as = l.list_id)) AS named
FROM lists l JOIN sources s ON s.source_id = l.source_id
WHERE l.scope = 'political_prisoners' AND l.total IS NOT NULL AND l.as_of IS NOT NULL
ORDER BY l.as_of DESC, l.same_list_as IS NOT NULL, l.list_id
LIMIT 1;

CREATE VIEW people_by_category AS
SELECT c.category_id AS category, c.name, count(p.person_id) AS people
FROM categories c LEFT JOIN persons p ON p.category = c.category_id
GROUP BY c.category_id ORDER BY people DESC, c.category_id;

CREATE VIEW top_articles AS
SELECT a.article_id AS article, a.code, a.title, count(pc.person_id) AS people
FROM articles a JOIN person_charges pc ON pc.article_id = a.article_id
GROUP BY a.article_id ORDER BY people DESC, a.article_id;

CREATE VIEW arrests_per_year AS
SELECT CAST(substr(arrested_on, 1, 4) AS INTEGER) AS year, count(*) AS arrests
FROM detentions WHERE arrested_on IS NOT NULL
GROUP BY year ORDER BY year;

CREATE VIEW tallies AS
SELECT l.list_id, l.as_of, l.as_of_precision, l.total, l.total_qualifier, l.scope, l.compiler,
       l.itemised, l.same_list_as, s.url AS source_url
FROM lists l JOIN sources s ON s.source_id = l.source_id
WHERE l.total IS NOT NULL
ORDER BY l.as_of, l.list_id;

CREATE VIEW disagreements AS
SELECT c.conflict_id, c.topic, c.person_id, c.list_id, c.claim, c.source_id,
       s.publisher, s.url AS source_url
FROM conflicts c JOIN sources s ON s.source_id = c.source_id
ORDER BY c.conflict_id, c.claim;

-- Publication views. Each one answers a question a reader asks; the saved queries in
-- metadata.yml add parameters on top of them.

-- Every charge with its person, detention, article title and source.
CREATE VIEW charges_detail AS
SELECT ch.article_id AS article, a.title AS article_title, ch.stage, p.person_id, p.name,
       p.category, p.status, d.detention_id, d.arrested_on, d.case_id, ch.source_id,
       s.url AS source_url
FROM charges ch
JOIN detentions d ON d.detention_id = ch.detention_id
JOIN persons p ON p.person_id = d.person_id
JOIN articles a ON a.article_id = ch.article_id
JOIN sources s ON s.source_id = ch.source_id;

-- People held now on remand or under house arrest, with no verdict in the detention they
-- are held in: how long from the arrest to the latest report that confirms custody
-- (a lower bound: the registry cannot know of days no source reports).
CREATE VIEW held_without_verdict AS
SELECT h.person_id, h.name, h.status, h.last_held_on, h.last_held_source_url, h.detention_id,
       h.arrested_on, d.arrested_precision,
       CAST(julianday(h.last_held_on) - julianday(h.arrested_on) AS INTEGER) AS days_held_at_least,
       h.case_id, h.place_id
FROM held_now h JOIN detentions d ON d.detention_id = h.detention_id
WHERE h.held_basis = 'confirmed' AND h.status IN ('pretrial_detention', 'house_arrest')
  AND h.sentence_kind IS NULL AND h.sentenced_on IS NULL AND h.arrested_on IS NOT NULL
  AND h.last_held_on >= h.arrested_on;

-- The timeline of every person: events, plus the lists that name them.
CREATE VIEW person_timeline_items AS
SELECT e.person_id, e.date, e.date_precision, e.kind, e.description, e.detention_id,
       e.source_id, s.publisher, s.url AS source_url, e.event_id AS item_id
FROM events e JOIN sources s ON s.source_id = e.source_id
UNION ALL
SELECT le.person_id, l.as_of, l.as_of_precision, 'named_on_list',
       'Named on ' || l.title || ' (' || l.compiler || ')'
           || CASE WHEN le.number IS NOT NULL THEN ', number ' || le.number ELSE '' END,
       NULL, le.source_id, s.publisher, s.url, le.list_id
FROM list_entries le JOIN lists l ON l.list_id = le.list_id
JOIN sources s ON s.source_id = le.source_id
WHERE l.as_of IS NOT NULL
UNION ALL
SELECT lr.person_id, l.as_of, l.as_of_precision, 'removed_from_list',
       'Removed from ' || l.title || ' (' || l.compiler || '): ' || lr.reason,
       NULL, lr.source_id, s.publisher, s.url, 'removed:' || lr.list_id
FROM list_removals lr JOIN lists l ON l.list_id = lr.list_id
JOIN sources s ON s.source_id = lr.source_id
WHERE l.as_of IS NOT NULL;
