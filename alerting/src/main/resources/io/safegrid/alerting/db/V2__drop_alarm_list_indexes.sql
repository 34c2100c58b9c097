-- Lists are answered by the AlarmIndex in memory and open alarms are read once at start: these
-- indexes (in stores made before V1 had its present shape) served no query and cost each alarm's
-- commit two more B-trees to write.
DROP INDEX IF EXISTS alarm_state;
DROP INDEX IF EXISTS alarm_raised;
