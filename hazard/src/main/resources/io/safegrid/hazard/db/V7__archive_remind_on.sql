-- The expiry an entry still has to be reminded of (null once its reminders went out), so the scanner's
-- range holds only entries with reminders to make, not every entry already reminded or long expired.
ALTER TABLE archive_item ADD COLUMN remind_on DATE;
UPDATE archive_item SET remind_on = expires WHERE expires IS NOT NULL AND (reminded_for IS NULL OR reminded_for <> expires);
CREATE INDEX archive_item_remind ON archive_item (remind_on);
