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
