package io.safegrid.model.assessment;

/**
 * A record behind a score: what counted against it.
 *
 * @param kind alarm, hazard, task, device, archive or accident
 * @param id   its id, as the API of that kind reads it
 */
public record Evidence(String kind, String id) {
}
