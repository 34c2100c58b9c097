package io.safegrid.alerting.ledger;

import java.time.Instant;

/** An alarm waiting for acknowledgement: the highest escalation rung told so far and when to climb. */
public record EscalationDue(int rung, Instant dueAt) {
}
