package dev.ferry.demo;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@link FlakyApi} has seen since its start or last reset; served as JSON on {@code GET /_stats}.
 *
 * @param requests                    requests to {@code /records}
 * @param statuses                    answers sent, by status
 * @param resets                      connections closed without an answer
 * @param applied                     bodies written to the store
 * @param keys                        records stored
 * @param idempotencyKeys             requests per Idempotency-Key
 * @param inFlight                    writes being processed now
 * @param concurrentSameKeyViolations writes that arrived while another write of the same record key was in flight
 * @param appliedTwice                Idempotency-Keys whose request was applied more than once by requests that
 *                                    arrived (a late apply, the API's own doing, is counted in {@code lateApplied})
 * @param versionsUnderTwoKeys        record versions (key and body) applied under two or more Idempotency-Keys
 *                                    (re-sends with a fresh key, as {@code verify --repair} makes, count here)
 * @param lateApplied                 writes answered 504 and applied later ({@link FaultPlan#lateApplyRate})
 * @param lateOverNewer               of those, the ones that replaced a value written by a request that arrived
 *                                    after them: the API then held an older version than the last one it got
 * @param deleted                     records removed by a DELETE (one that found no record removes none)
 */
@RegisterForReflection
public record FlakyStats(long requests, Map<Integer, Long> statuses, long resets, long applied, int keys,
        IdempotencyKeys idempotencyKeys, int inFlight, long concurrentSameKeyViolations, long appliedTwice,
        long versionsUnderTwoKeys, long lateApplied, long lateOverNewer, long deleted) {

    /**
     * @param seen        distinct Idempotency-Keys received
     * @param applied     distinct Idempotency-Keys whose request was applied
     * @param maxRequests most requests received for one Idempotency-Key
     */
    public record IdempotencyKeys(int seen, int applied, int maxRequests) {
    }

    public FlakyStats {
        statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    /** Answers sent with this status. */
    public long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }
}
