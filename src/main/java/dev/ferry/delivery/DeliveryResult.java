package dev.ferry.delivery;

import java.time.Instant;

import dev.ferry.core.Outcome;

/**
 * How one record's delivery ended, with what the run writes down about it.
 *
 * @param outcome  DELIVERED, FAILED (transient faults outlasted the retries), REJECTED (refused for good) or LEFT
 *                 (not settled: the run is stopping)
 * @param attempts requests sent for the record in this run
 * @param error    the last fault (FAILED), why the refusing answer's body could not be read (REJECTED), or null
 * @param status   the refusing status (REJECTED), or 0
 * @param body     the start of the refusing answer's body (REJECTED), or null
 * @param misrouted the record FAILED on an answer that says the URL or the API is wrong ({@link RoutingRefusal})
 * @param ambiguousAt when the last attempt that may have been applied all the same failed (whatever the outcome: an
 *                  early request can land after a later one succeeded), or null
 */
public record DeliveryResult(Outcome outcome, int attempts, String error, int status, String body, boolean misrouted,
        Instant ambiguousAt) {

    static DeliveryResult delivered(Delivery delivery) {
        return new DeliveryResult(Outcome.DELIVERED, delivery.attempts(), null, 0, null, false,
                delivery.ambiguousAt());
    }

    static DeliveryResult failed(Delivery delivery, String error) {
        return new DeliveryResult(Outcome.FAILED, delivery.attempts(), error, 0, null, false, delivery.ambiguousAt());
    }

    static DeliveryResult rejected(Delivery delivery, PermanentFault refusal) {
        return new DeliveryResult(Outcome.REJECTED, delivery.attempts(), refusal.unread(), refusal.status(),
                refusal.bodyExcerpt(), false, delivery.ambiguousAt());
    }

    static DeliveryResult misrouted(Delivery delivery, RoutingRefusal refusal) {
        return new DeliveryResult(Outcome.FAILED, delivery.attempts(), "HTTP " + refusal.status()
                + ": an answer that says the URL or the API is wrong, not the record (kept for a replay)",
                refusal.status(), refusal.bodyExcerpt(), true, delivery.ambiguousAt());
    }

    static DeliveryResult left(Delivery delivery) {
        return new DeliveryResult(Outcome.LEFT, delivery.attempts(), null, 0, null, false, delivery.ambiguousAt());
    }
}
