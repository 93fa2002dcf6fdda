-- pgbench: the SQL the server runs for the mobile list query of one deputy (page, deputies, units).
\set n random(1, 100)
SELECT * FROM suggestions WHERE id IN (
  SELECT id FROM suggestions WHERE lead_deputy_id = (SELECT id FROM bench_deputy WHERE n = :n)
  UNION ALL
  SELECT suggestion_id FROM suggestion_co_signers
   WHERE deputy_id = (SELECT id FROM bench_deputy WHERE n = :n) AND status <> 'DECLINED'
) ORDER BY id DESC LIMIT 21;
SELECT * FROM deputies WHERE id IN (SELECT id FROM bench_deputy WHERE n = :n);
SELECT * FROM handling_units WHERE id IN (
  SELECT su.unit_id FROM suggestion_units su WHERE su.suggestion_id IN (
    SELECT id FROM suggestions WHERE lead_deputy_id = (SELECT id FROM bench_deputy WHERE n = :n)
    ORDER BY id DESC LIMIT 21));
