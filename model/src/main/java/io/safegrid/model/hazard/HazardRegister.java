package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The hidden-hazard register (隐患排查治理) as the console uses it; the hazard module implements it
 * and the node plugs it in. Every action is committed, with its audit line, before it returns.
 *
 * <p>Errors: an unknown hazard throws {@link java.util.NoSuchElementException}; a refused action
 * throws {@link HazardRefused} (bad input, not this user's to do, or not in this state), and then
 * nothing was written.
 */
public interface HazardRegister {

    Hazard report(Actor actor, NewHazard hazard);

    Optional<Hazard> get(String id);

    HazardPage list(HazardQuery query);

    /** Every audit line of the hazard, oldest first. */
    List<HazardEvent> timeline(String id);

    /** reported → assigned: sets 五落实 (a 重大 hazard needs all five, the deadline must be ahead). */
    Hazard assign(Actor actor, String id, FiveMeasures five, String note);

    /** assigned → rectifying: the enterprise starts the work. */
    Hazard startRectifying(Actor actor, String id, String note);

    /** rectifying → submitted for review, with the after photos. */
    Hazard submit(Actor actor, String id, String note, List<PhotoUpload> photos);

    /** submitted → accepted (销号); a listed hazard only by its listing level. */
    Hazard accept(Actor actor, String id, String note);

    /** submitted → rectifying, with the reviewer's reasons. */
    Hazard reject(Actor actor, String id, String note);

    /** 挂牌督办: a county or township user lists a hazard (major ones) with an order number and deadline. */
    Hazard listForSupervision(Actor actor, String id, String orderNo, Instant deadline);

    /** Listed hazards within a subtree (the supervision list), overdue first. */
    List<Hazard> supervised(GridPath subtree);

    Hazard addPhoto(Actor actor, String id, PhotoUpload photo);

    Optional<Photo> photo(String hazardId, String photoId);

    /** The register's clock, so callers judge "overdue" as it does. */
    Instant now();
}
