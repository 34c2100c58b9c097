package io.safegrid.alerting.alarm;

import java.time.Instant;

/** An alarm waiting for acknowledgement: the highest escalation rung told so far and when to climb. */
record EscalationDue(int rung, Instant dueAt) {
}
