-- A CLOB message (stores made before V1 had its present shape) made every insert write H2's three
-- LOB maps too, on each alarm's way to its first SMS. Already VARCHAR elsewhere: then a no-op.
ALTER TABLE notification ALTER COLUMN message SET DATA TYPE VARCHAR(1000000);
