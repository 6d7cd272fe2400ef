package dev.ferry.demo;

import java.time.Duration;
import java.util.Random;

/** The fault injected into one request, decided when it arrives. */
record Fault(Kind kind, int status) {

    enum Kind {
        NONE, UNAUTHORIZED, MISROUTED, REDIRECT, OUTAGE, RESET, ERROR, TOO_MANY_REQUESTS, SLOW, COMMIT_THEN_504,
        LATE_APPLY
    }

    static final Fault NONE = new Fault(Kind.NONE, 0);
    private static final int[] ERROR_STATUSES = { 500, 502, 503, 504 };

    /**
     * Outages and 401 hit every request; the rolled faults hit writes only. The roll comes from a
     * {@link Random} seeded by the plan's seed, the request's identity (its Idempotency-Key) and its
     * occurrence (1 for the first request with that identity), so that concurrency cannot reorder it. A write
     * {@code chosenLate} (the first of a key of {@link FaultPlan#lateApplyKey}) lands late whatever the roll.
     */
    static Fault pick(FaultPlan plan, Duration sinceStart, boolean write, String identity, int occurrence,
            boolean chosenLate) {
        if (plan.unauthorized()) {
            return new Fault(Kind.UNAUTHORIZED, 401);
        }
        if (plan.misrouted()) {
            return new Fault(Kind.MISROUTED, 404);
        }
        if (plan.redirect()) {
            return new Fault(Kind.REDIRECT, 301);
        }
        int outage = plan.outageStatus(sinceStart);
        if (outage > 0) {
            return new Fault(Kind.OUTAGE, outage);
        }
        if (!write) {
            return NONE;
        }
        if (chosenLate) {
            return new Fault(Kind.LATE_APPLY, 504);
        }
        Random random = new Random(mix(mix(plan.seed() * 31 + identity.hashCode()) + occurrence));
        double roll = random.nextDouble();
        if ((roll -= plan.resetRate()) < 0) {
            return new Fault(Kind.RESET, 0);
        }
        if ((roll -= plan.error5xxRate()) < 0) {
            return new Fault(Kind.ERROR, ERROR_STATUSES[random.nextInt(ERROR_STATUSES.length)]);
        }
        if ((roll -= plan.tooManyRequestsRate()) < 0) {
            return new Fault(Kind.TOO_MANY_REQUESTS, 429);
        }
        if ((roll -= plan.slowRate()) < 0) {
            return new Fault(Kind.SLOW, 504);
        }
        if ((roll -= plan.commitThen504Rate()) < 0) {
            return new Fault(Kind.COMMIT_THEN_504, 504);
        }
        if ((roll -= plan.lateApplyRate()) < 0) {
            return new Fault(Kind.LATE_APPLY, 504);
        }
        return NONE;
    }

    /** SplitMix64's finaliser: java.util.Random's first rolls of neighbouring seeds are nearly equal. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
