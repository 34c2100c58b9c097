package io.safegrid.assessment.indicator;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.supervision.InspectionProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What was counted for one unit and period: the raw figures every indicator and report row is made from. */
public final class Tally {
    public final Unit unit;
    public long alarms;
    public final long[] byLevel = new long[Level.values().length];
    public final Map<String, long[]> byKind = new HashMap<>();
    /** Acknowledgement times in ms of the acknowledged alarms; {@link #ackCount} of them are filled. */
    private long[] ackMillis = new long[16];
    public int ackCount;
    public long ackWithinTimeout;
    public final Sample lateAcks = new Sample("alarm");
    public final Sample countyEscalations = new Sample("alarm");
    public final Set<String> offlineDevices = new HashSet<>();
    public final Sample offline = new Sample("device");
    public long devices;

    public long hazards;
    public long hazardsOpened;
    public long hazardsClosed;
    public final Sample hazardsLeftOpen = new Sample("hazard");
    public final Sample overdueHazards = new Sample("hazard");
    public long listedDue;
    public long listedOnTime;
    public final Sample listedLate = new Sample("hazard");

    /** Null where inspection completion is not measured. */
    public InspectionProgress.Completion inspections;

    public long enterprises;
    /** Null where the archive is not measured. */
    public Set<String> ignoringEnterprises;
    public final Sample ignoredCertificates = new Sample("archive");

    public final Sample vetoes = new Sample("accident");

    public Tally(Unit unit) {
        this.unit = unit;
    }

    void alarm(AlarmFacts.Fact f, Duration timeout, boolean offlineKind) {
        alarms++;
        byLevel[f.level().ordinal()]++;
        byKind.computeIfAbsent(f.kind(), k -> new long[1])[0]++;
        if (f.acknowledgedAt() != null) {
            long ms = Math.max(0, f.acknowledgedAt().toEpochMilli() - f.raisedAt().toEpochMilli());
            if (ackCount == ackMillis.length) {
                ackMillis = Arrays.copyOf(ackMillis, ackCount * 2);
            }
            ackMillis[ackCount++] = ms;
            if (ms <= timeout.toMillis()) {
                ackWithinTimeout++;
            } else {
                lateAcks.add(f.id());
            }
        } else {
            lateAcks.add(f.id());
        }
        if (f.reachedCounty()) {
            countyEscalations.add(f.id());
        }
        if (offlineKind && f.source() != null && offlineDevices.add(f.source())) {
            offline.add(f.source());
        }
    }

    void hazard(HazardFacts.Fact h, Instant from, Instant to) {
        hazards++;
        if (!h.reportedAt().isBefore(from)) {
            hazardsOpened++;
        }
        if (h.closedAt() != null && h.closedAt().isBefore(to)) {
            hazardsClosed++;
        } else {
            hazardsLeftOpen.add(h.id());
            Instant d = h.effectiveDeadline();
            if (d != null && d.isBefore(to)) {
                overdueHazards.add(h.id());
            }
        }
        Instant listed = h.listedDeadline();
        if (listed != null && !listed.isBefore(from) && listed.isBefore(to)) {
            listedDue++;
            if (h.closedAt() != null && !h.closedAt().isAfter(listed)) {
                listedOnTime++;
            } else {
                listedLate.add(h.id());
            }
        }
    }

    /**
     * The median acknowledgement time in minutes, an unacknowledged alarm counting as never: null
     * when half or more were never acknowledged or there were no alarms.
     */
    public Double ackMedianMinutes() {
        return ackQuantileMinutes(0.5);
    }

    public Double ackQuantileMinutes(double q) {
        if (alarms == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * alarms); // 1-based nearest rank over all alarms, unacknowledged last
        if (rank > ackCount) {
            return null;
        }
        long[] sorted = Arrays.copyOf(ackMillis, ackCount);
        Arrays.sort(sorted);
        return sorted[(int) Math.max(0, rank - 1)] / 60_000.0;
    }

    public long overdue() { return overdueHazards.total(); }

    public long countyEscalationCount() { return countyEscalations.total(); }
}
