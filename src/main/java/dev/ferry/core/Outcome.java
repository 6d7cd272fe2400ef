package dev.ferry.core;

import java.util.EnumSet;
import java.util.Set;

/** Where a record ended; used for routing, logs, the report and the {@code outcome} metric tag. */
public enum Outcome {
    /** The API answered 2xx. */
    DELIVERED,
    /**
     * Not sent: its content hash equals that of the last version delivered for its key
     * ({@code ferry.delivery.skip-unchanged}).
     */
    UNCHANGED,
    /**
     * A {@code DELETE} the API accepted (2xx, or 404/410: already gone): a key a snapshot no longer named
     * ({@code ferry.snapshot.pattern}), or such a delete replayed from failed/.
     */
    DELETED,
    /** Transient faults outlasted the retries (or the key follows an earlier failed record): failed/. */
    FAILED,
    /** Refused for good or unparseable: rejected/. */
    REJECTED,
    /** A record from failed/ tried by too many runs or for too long: rejected/ ({@code ferry.failed.*}). */
    GIVEN_UP,
    /** Not settled: the run stopped first; the record stays in its file for the next run. */
    LEFT;

    public static final Set<Outcome> SETTLED = EnumSet.of(DELIVERED, UNCHANGED, DELETED, FAILED, REJECTED, GIVEN_UP);

    public String tag() {
        return name().toLowerCase();
    }
}
