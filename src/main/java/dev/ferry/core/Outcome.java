package dev.ferry.core;

import java.util.EnumSet;
import java.util.Set;

/** Where a record ended; used for routing, logs, the report and the {@code outcome} metric tag. */
public enum Outcome {
    /** The API answered 2xx. */
    DELIVERED,
    /** Transient faults outlasted the retries (or the key follows an earlier failed record): failed/. */
    FAILED,
    /** Refused for good or unparseable: rejected/. */
    REJECTED,
    /** A record from failed/ tried by too many runs or for too long: rejected/ (SPEC §5 ferry.failed.*). */
    GIVEN_UP,
    /** Not settled: the run stopped first; the record stays in its file for the next run. */
    LEFT;

    public static final Set<Outcome> SETTLED = EnumSet.of(DELIVERED, FAILED, REJECTED, GIVEN_UP);

    public String tag() {
        return name().toLowerCase();
    }
}
