-- Seeds what the statistics benchmark needs on top of bench_seed (bench/statistics.sh): 20 deputy groups
-- (every deputy in one), 50 liaison stations, 100,000 opinions over the last 365 days in a realistic mix of
-- states and paths, 2,000 reception-day duties with 1,800 records and 5,400 matters, the acceptance events
-- of the station opinions, and a congress staff account (13800009999 / bench1234).
-- Opinions are statistics rows only: their JSON snapshot is empty.

CREATE TEMP TABLE c AS SELECT id FROM congresses LIMIT 1;

INSERT INTO deputy_groups (id, congress_id, name, description, created_at, updated_at)
SELECT gen_random_uuid(), (SELECT id FROM c), '第' || g || '代表团', NULL, now(), now()
FROM generate_series(1, 20) g;
CREATE TEMP TABLE grp AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM deputy_groups;
CREATE TEMP TABLE dep AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM deputies;
CREATE UNIQUE INDEX ON dep (n);
UPDATE deputies d SET deputy_group_id = grp.id FROM dep, grp WHERE dep.id = d.id AND grp.n = dep.n % 20;
-- The server keeps each suggestion's lead group as deputies change group (suggestions::lead_group); this
-- script changes them behind its back, so it keeps them itself.
UPDATE suggestions s SET lead_group_id = d.deputy_group_id FROM deputies d WHERE d.id = s.lead_deputy_id;

INSERT INTO liaison_stations (id, congress_id, name, kind, address, latitude, longitude, opening_hours, created_at, updated_at)
SELECT gen_random_uuid(), (SELECT id FROM c), '联络站' || lpad(s::text, 2, '0'), 'STATION', '基准市' || s || '号', NULL, NULL, NULL, now(), now()
FROM generate_series(1, 50) s;
CREATE TEMP TABLE st AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM liaison_stations;
CREATE TEMP TABLE unit AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM handling_units;
CREATE TEMP TABLE sug AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM suggestions;
CREATE UNIQUE INDEX ON st (n);
CREATE UNIQUE INDEX ON unit (n);
CREATE UNIQUE INDEX ON sug (n);
ANALYZE dep; ANALYZE st; ANALYZE unit; ANALYZE sug;

INSERT INTO opinions (id, tracking_code, congress_id, station_id, deputy_id, source, category, state, version,
  submitter_account_id, responsible_account_id, forwarded_unit_id, suggestion_id, unit_replied, satisfaction,
  waiting_on, waiting_since, contact_phone_sealed, contact_phone_masked, contact_phone_digest, snapshot,
  created_at, feedback_at, closed_at, updated_at)
SELECT gen_random_uuid(), 'BNCH' || lpad(i::text, 12, '0'), (SELECT id FROM c),
  CASE WHEN i % 5 = 0 THEN NULL ELSE (SELECT id FROM st WHERE n = i % 50) END,
  CASE WHEN i % 5 = 0 THEN (SELECT id FROM dep WHERE n = i % 2000) END,
  CASE WHEN i % 5 = 0 THEN 'QR_CODE' ELSE 'STATION' END,
  (ARRAY['URBAN_MANAGEMENT','TRANSPORT','EDUCATION','HEALTH','SOCIAL_SECURITY','ENVIRONMENT','PUBLIC_SAFETY','ECONOMY','OTHER'])[1 + i % 9],
  state, 1, NULL, NULL,
  CASE WHEN state = 'FORWARDED' OR (state IN ('FEEDBACK_GIVEN','CLOSED') AND i % 3 = 0) THEN (SELECT id FROM unit WHERE n = i % 200) END,
  CASE WHEN state = 'CONVERTED' OR (state IN ('FEEDBACK_GIVEN','CLOSED') AND i % 3 = 1) THEN (SELECT id FROM sug WHERE n = i % 100000) END,
  false,
  CASE WHEN state = 'CLOSED' AND i % 4 <> 0 THEN (ARRAY['SATISFIED','BASICALLY_SATISFIED','DISSATISFIED'])[1 + i % 3] END,
  NULL, NULL, NULL, NULL, NULL, '{}',
  created_at,
  CASE WHEN state IN ('FEEDBACK_GIVEN','CLOSED') THEN created_at + (i % 20) * interval '1 day' END,
  CASE WHEN state = 'CLOSED' THEN created_at + (i % 20 + 3) * interval '1 day' END,
  created_at
FROM (
  SELECT i, now() - interval '365 days' + i * interval '315 seconds' AS created_at,
    (ARRAY['RECEIVED','ACCEPTED','RESOLVED_DIRECTLY','FORWARDED','CONVERTED','FEEDBACK_GIVEN','FEEDBACK_GIVEN','CLOSED','CLOSED','CLOSED'])[1 + i % 10] AS state
  FROM generate_series(1, 100000) i
) o;

-- One reception day a week per station over the year, one deputy on duty each.
INSERT INTO reception_days (id, station_id, starts_at, ends_at, note, created_by, cancelled_at, created_at, updated_at)
SELECT gen_random_uuid(), (SELECT id FROM st WHERE n = d % 50), now() - interval '360 days' + d * interval '4 hours',
  now() - interval '360 days' + d * interval '4 hours' + interval '3 hours', NULL, NULL, NULL, now(), now()
FROM generate_series(0, 1999) d;
INSERT INTO reception_day_deputies (reception_day_id, deputy_id)
SELECT r.id, (SELECT id FROM dep WHERE n = r.k % 2000)
FROM (SELECT id, row_number() OVER (ORDER BY starts_at) AS k FROM reception_days) r;

-- A reception record on each day but every tenth (those stay unrecorded), three matters on each, for the
-- station activity table; and the acceptance of each accepted station opinion, an hour or more after it came.
INSERT INTO reception_records (id, congress_id, station_id, reception_day_id, received_at, visitors,
  recorded_by_account_id, recorder_deputy_id, created_at)
SELECT gen_random_uuid(), (SELECT id FROM c), r.station_id, r.id, r.starts_at + interval '1 hour', 1 + r.k % 7,
  (SELECT id FROM accounts WHERE phone = '13800000000'), NULL, r.starts_at + interval '1 hour'
FROM (SELECT id, station_id, starts_at, row_number() OVER (ORDER BY starts_at) AS k FROM reception_days) r
WHERE r.k % 10 <> 0;
INSERT INTO reception_matters (id, record_id, seq, category, content, contact_name, opinion_id)
SELECT gen_random_uuid(), r.id, m, 'OTHER', '基准事项' || m, NULL, NULL
FROM reception_records r, generate_series(1, 3) m;
INSERT INTO opinion_events (id, opinion_id, seq, kind, actor_account_id, actor_role, from_state, to_state, note,
  public, payload, at)
SELECT gen_random_uuid(), o.id, 2, 'ACCEPTED', NULL, 'STATION_STAFF', 'RECEIVED', 'ACCEPTED', NULL, true, '{}',
  o.created_at + (1 + (hashtext(o.tracking_code) & 63)) * interval '1 hour'
FROM opinions o WHERE o.station_id IS NOT NULL AND o.state <> 'RECEIVED';
-- The first acceptance, kept on the opinion as the server keeps it with the event.
UPDATE opinions o SET accepted_at = e.at FROM opinion_events e WHERE e.opinion_id = o.id AND e.to_state = 'ACCEPTED';

-- Contact work: 10 committees with 200 linked deputies each, 100 standing-committee members (deputies) with
-- 20 each, and 20,000 contacts over the year, half by committees and half by members (some deputies left out,
-- so coverage is mixed).
INSERT INTO committees (id, congress_id, name, description, created_at, updated_at)
SELECT gen_random_uuid(), (SELECT id FROM c), '专门委员会' || lpad(k::text, 2, '0'), NULL, now(), now()
FROM generate_series(1, 10) k;
CREATE TEMP TABLE com AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM committees;
INSERT INTO committee_members (committee_id, deputy_id)
SELECT com.id, dep.id FROM dep JOIN com ON com.n = dep.n % 10;
INSERT INTO member_links (member_id, deputy_id, congress_id, created_at)
SELECT (SELECT id FROM dep m WHERE m.n = dep.n % 100), dep.id, (SELECT id FROM c), now()
FROM dep WHERE dep.n >= 100;
INSERT INTO deputy_contacts (id, congress_id, committee_id, member_id, deputy_id, contacted_on, method, content,
  recorded_by, created_at)
SELECT gen_random_uuid(), (SELECT id FROM c),
  CASE WHEN i % 2 = 0 THEN (SELECT id FROM com WHERE n = (i / 2 % 1900) % 10) END,
  CASE WHEN i % 2 = 1 THEN (SELECT id FROM dep WHERE n = (100 + i / 2 % 1900) % 100) END,
  (SELECT id FROM dep WHERE n = 100 + i / 2 % 1900),
  (now() - (i % 300) * interval '1 day')::date, (ARRAY['VISIT','PHONE','MEETING','ONLINE'])[1 + i % 4],
  '基准联系' || i, (SELECT id FROM accounts WHERE phone = '13800000000'), now()
FROM generate_series(0, 19999) i;

INSERT INTO accounts (id, phone, password_hash, name, role, congress_id, unit_id, deputy_id, station_id, created_at, updated_at)
SELECT gen_random_uuid(), '13800009999', password_hash, '基准人大代表工委', 'CONGRESS_STAFF', (SELECT id FROM c), NULL, NULL, NULL, now(), now()
FROM accounts WHERE phone = '13800000000';

VACUUM ANALYZE;
