package io.safegrid.node.eval;

import io.safegrid.analytics.video.Detection;
import io.safegrid.model.finding.FindingKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One clip's replay judged against its labels. */
record Scores(ClipReplay.Result replay, EvalPlan.ClipSetup setup, Map<String, KindScore> kinds, int intrusions,
              PeopleScore people) {

    /** The analyzers judged against moment labels, and the finding kind each raises. */
    static final Map<String, FindingKind> LABELLED = Map.of("fire", FindingKind.FIRE, "smoke", FindingKind.SMOKE);

    /**
     * Moments labelled with and without the condition, against whether its finding was active then.
     *
     * @param present  whether any moment of the clip is labelled with the condition
     * @param absent   whether every moment is labelled without it (a clean clip for false findings)
     * @param starts   findings of this kind in the clip
     * @param first    stream time of the first, NaN if none
     */
    record KindScore(int tp, int fp, int fn, int tn, boolean present, boolean absent, int starts, double first) {
    }

    /**
     * @param occupied     moments with people in the counted zone that were reported occupied
     * @param peopleMoments moments with people (and a count)
     * @param falselyOccupied moments without people that were reported occupied
     * @param withinOne    moments (up to the plan's limit of people) counted within ±1
     * @param countable    moments with at most that many people
     * @param withinOneWithPeople of those, the moments with at least one person counted within ±1
     * @param countableWithPeople moments with 1 to that many people
     * @param truthOver    whether the truth exceeds the zone's limit at some scored moment
     * @param truthUnder   whether it never does (every moment counted and within the limit)
     * @param crowding     crowding findings in the clip
     * @param pairs        "truth/counted" per scored moment, for the table
     */
    record PeopleScore(int occupied, int peopleMoments, int falselyOccupied, int withinOne, int countable, int withinOneWithPeople,
                       int countableWithPeople, boolean truthOver,
                       boolean truthUnder, int crowding, String pairs) {
    }

    static Scores of(ClipReplay.Result r, EvalPlan.ClipSetup setup, List<Labels.Moment> moments, EvalPlan plan) {
        Map<String, KindScore> kinds = new LinkedHashMap<>();
        for (String name : List.of("fire", "smoke")) {
            FindingKind kind = LABELLED.get(name);
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int tn = 0;
            for (Labels.Moment m : moments) {
                if (m.t() < plan.settleSeconds()) {
                    continue;
                }
                ClipReplay.Sample s = r.at(m.t());
                boolean found = s != null && s.active().stream().anyMatch(k -> k.equals(kind.name()) || k.startsWith(kind.name() + "|"));
                if (m.has(name)) {
                    tp += found ? 1 : 0;
                    fn += found ? 0 : 1;
                } else {
                    fp += found ? 1 : 0;
                    tn += found ? 0 : 1;
                }
            }
            List<Detection> starts = r.starts().stream().filter(d -> d.kind() == kind).toList();
            kinds.put(name, new KindScore(tp, fp, fn, tn, moments.stream().anyMatch(m -> m.has(name)),
                    !moments.isEmpty() && moments.stream().noneMatch(m -> m.has(name)), starts.size(),
                    starts.isEmpty() ? Double.NaN : starts.get(0).time()));
        }
        int intrusions = (int) r.starts().stream().filter(d -> d.kind() == FindingKind.INTRUSION && d.zone() != null
                && setup.cleanZones().contains(d.zone().name())).count();
        return new Scores(r, setup, kinds, intrusions, people(r, setup, moments, plan));
    }

    private static PeopleScore people(ClipReplay.Result r, EvalPlan.ClipSetup setup, List<Labels.Moment> moments,
                                      EvalPlan plan) {
        if (setup.counted() == null || r.detector() == null) {
            return null;
        }
        int limit = setup.counted().maxPeople();
        int occupied = 0;
        int peopleMoments = 0;
        int falselyOccupied = 0;
        int within = 0;
        int countable = 0;
        int withinPeople = 0;
        int countablePeople = 0;
        boolean over = false;
        boolean under = true;
        StringBuilder pairs = new StringBuilder();
        for (Labels.Moment m : moments) {
            if (m.people() == null) {
                under = false;
            } else if (m.people() > limit) {
                under = false;
            }
            if (m.t() < plan.settleSeconds()) {
                continue;
            }
            ClipReplay.Sample s = r.at(m.t());
            if (s == null || m.people() == null) {
                pairs.append(pairs.isEmpty() ? "" : " ").append("?/").append(s == null ? "-" : s.counted());
                continue;
            }
            int truth = m.people();
            pairs.append(pairs.isEmpty() ? "" : " ").append(truth).append('/').append(s.counted());
            over |= truth > limit;
            if (truth > 0) {
                peopleMoments++;
                occupied += s.counted() > 0 ? 1 : 0;
            } else {
                falselyOccupied += s.counted() > 0 ? 1 : 0;
            }
            if (truth <= plan.people().upTo()) {
                countable++;
                boolean close = Math.abs(s.counted() - truth) <= 1;
                within += close ? 1 : 0;
                if (truth > 0) {
                    countablePeople++;
                    withinPeople += close ? 1 : 0;
                }
            }
        }
        int crowding = (int) r.starts().stream().filter(d -> d.kind() == FindingKind.CROWDING).count();
        return new PeopleScore(occupied, peopleMoments, falselyOccupied, within, countable, withinPeople, countablePeople, over, under, crowding, pairs.toString());
    }
}
