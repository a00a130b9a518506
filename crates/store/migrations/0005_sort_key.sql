-- The key that orders names as their readers expect (see muster_domain::names::sort_key),
-- compared byte by byte. Rows written before this migration get theirs from the program
-- on its next start (`App::fill_sort_keys`), since SQL cannot compute it.

ALTER TABLE people ADD COLUMN sort_key TEXT {bytewise};
CREATE INDEX people_sort ON people (sort_key, id);
