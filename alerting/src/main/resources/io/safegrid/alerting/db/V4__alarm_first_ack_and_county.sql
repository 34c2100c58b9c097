-- The assessment and the reports read, for every alarm of a period, its first acknowledgement and
-- whether it climbed to the county. Kept on the alarm row as those events are written (AlarmStore),
-- so a quarter is one read of alarm rows, not two look-ups in alarm_event per alarm. No index on
-- raised_at: a period the assessment reads is most of a ledger's recent rows, and H2 fetches each row
-- of a secondary-index range by a look-up of its own (3-14x slower than the table read for 100,000
-- rows), besides one more B-tree to write per alarm. Portable SQL: H2 and PostgreSQL.
ALTER TABLE alarm ADD COLUMN IF NOT EXISTS first_ack_at BIGINT;
ALTER TABLE alarm ADD COLUMN IF NOT EXISTS reached_county BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE alarm SET first_ack_at = (SELECT MIN(e.time) FROM alarm_event e WHERE e.alarm_id = alarm.id AND e.type = 'ACKNOWLEDGED');
UPDATE alarm SET reached_county = TRUE WHERE EXISTS (SELECT 1 FROM alarm_event e WHERE e.alarm_id = alarm.id
    AND e.type = 'ESCALATED' AND e.note LIKE '%escalated to county %');
