-- The whole register's list of one grade, newest first: walked along this index, a page of major hazards
-- stops after its rows instead of passing over the twenty times as many of other grades.
CREATE INDEX hazard_grade_seq ON hazard (grade, seq);
