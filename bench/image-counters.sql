-- What the images step's run counters cost at 100,000 images (see run-images.service.ts):
-- the recount it did after every batch of 8, against the per-image settle and the pending probe it does now.
-- Only temporary tables. Run: psql -q "$DATABASE_URL" -f bench/image-counters.sql
\timing on
CREATE TEMP TABLE ri (run_id uuid, image_id uuid, state text NOT NULL DEFAULT 'PENDING', PRIMARY KEY (run_id, image_id));
CREATE INDEX ri_pending ON ri (run_id) WHERE state = 'PENDING';
CREATE TEMP TABLE r (id uuid PRIMARY KEY, images_total int, images_done int default 0, images_failed int default 0, images_skipped int default 0, updated_at timestamptz);
INSERT INTO r (id, images_total) VALUES ('00000000-0000-0000-0000-000000000001', 100000);
INSERT INTO ri SELECT '00000000-0000-0000-0000-000000000001', gen_random_uuid(), CASE WHEN g % 2 = 0 THEN 'DONE' ELSE 'PENDING' END FROM generate_series(1, 100000) g;
VACUUM ANALYZE ri;
\echo old: recount after each batch
UPDATE r SET images_total = c.total, images_done = c.done, images_failed = c.failed, images_skipped = c.skipped, updated_at = now()
  FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'DONE')::int AS done, count(*) FILTER (WHERE state = 'FAILED')::int AS failed,
   count(*) FILTER (WHERE state = 'SKIPPED')::int AS skipped, count(*) FILTER (WHERE state = 'PENDING')::int AS pending FROM ri WHERE run_id = '00000000-0000-0000-0000-000000000001') c
  WHERE r.id = '00000000-0000-0000-0000-000000000001' RETURNING c.pending;
\echo new: per image settle + count
WITH settled AS (UPDATE ri SET state = 'DONE' WHERE run_id = '00000000-0000-0000-0000-000000000001' AND image_id = (SELECT image_id FROM ri WHERE state = 'PENDING' LIMIT 1) AND state = 'PENDING' RETURNING state)
UPDATE r SET images_done = images_done + (SELECT count(*) FROM settled WHERE state = 'DONE'), images_failed = images_failed + (SELECT count(*) FROM settled WHERE state = 'FAILED'),
 images_skipped = images_skipped + (SELECT count(*) FROM settled WHERE state = 'SKIPPED'), updated_at = now() WHERE id = '00000000-0000-0000-0000-000000000001' AND EXISTS (SELECT 1 FROM settled);
\echo new: pending probe after each batch
SELECT EXISTS (SELECT 1 FROM ri WHERE run_id = '00000000-0000-0000-0000-000000000001' AND state = 'PENDING') AS pending;
