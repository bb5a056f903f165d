-- The statuses that mean a person is in custody: the one statement of this list. The
-- build runs this file before views.sql, and the validator runs it on its staging
-- tables, so the views, the pages and the validator's rules read the same list.
CREATE VIEW IF NOT EXISTS held_statuses AS
SELECT 'pretrial_detention' AS status UNION ALL SELECT 'imprisoned' UNION ALL SELECT 'house_arrest';
