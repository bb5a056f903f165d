-- Views behind the charts and saved queries. Each is an aggregate or a plain
-- projection, so a chart always gets one row per mark.

CREATE VIEW held_now AS
SELECT p.person_id, p.name, p.category, p.status, p.status_as_of, p.first_arrested_on,
       p.affiliation, p.charges
FROM persons p
WHERE p.status IN ('pretrial_detention', 'imprisoned', 'house_arrest');

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

-- Publication views (issue 4). Each one answers a question a reader asks; the saved
-- queries in metadata.yml add parameters on top of them.

-- One row per person and detention still open, with the place and case.
CREATE VIEW held_now_detail AS
SELECT p.person_id, p.name, p.name_az, p.gender, p.category, p.status, p.status_as_of,
       p.status_source_id, d.detention_id, d.arrested_on, d.place_id, pl.name AS place,
       d.case_id, cs.name AS case_name, p.charges
FROM persons p
LEFT JOIN detentions d ON d.detention_id = (
    SELECT d2.detention_id FROM detentions d2 WHERE d2.person_id = p.person_id
    ORDER BY d2.arrested_on DESC, d2.detention_id DESC LIMIT 1)
LEFT JOIN places pl ON pl.place_id = d.place_id
LEFT JOIN cases cs ON cs.case_id = d.case_id
WHERE p.status IN ('pretrial_detention', 'imprisoned', 'house_arrest');

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

-- People held on remand (or under house arrest) with no verdict on their open detention.
CREATE VIEW held_without_verdict AS
SELECT p.person_id, p.name, p.status, p.status_as_of, d.detention_id, d.arrested_on,
       d.arrested_precision, CAST(julianday(p.status_as_of) - julianday(d.arrested_on) AS INTEGER)
           AS days_held_at_status_date,
       d.case_id, d.place_id
FROM persons p JOIN detentions d ON d.person_id = p.person_id
WHERE p.status IN ('pretrial_detention', 'house_arrest')
  AND d.released_on IS NULL AND d.sentenced_on IS NULL AND d.sentence_kind IS NULL
  AND d.arrested_on IS NOT NULL;

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
WHERE l.as_of IS NOT NULL;
