package io.safegrid.assessment.indicator;

import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.archive.EnterpriseArchive;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.supervision.InspectionProgress;

/**
 * Where the indicators are measured from; any may be null on a node that has none, and then the
 * indicators it feeds say "not measured" and leave their weight out.
 */
public record Sources(AlarmFacts alarms, HazardFacts hazards, InspectionProgress inspections,
                     EnterpriseArchive archive, AccidentBook accidents) {
}
