package dev.ferry.state;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How far one file is settled. Every record before {@code offset} is settled (delivered, failed or
 * rejected), and so are the records starting at the offsets in {@code settledAhead}; everything else
 * is processed again on resume. The failed/ and rejected/ files being appended to are cut back to the
 * recorded sizes on resume, so a record processed again is not written twice.
 *
 * @param file         the file's name (in processing/ for a source, in failed/ for a replay)
 * @param kind         SOURCE (claimed inbox file) or REPLAY (failed/ file)
 * @param offset       low-water mark: byte offset of the first unsettled record
 * @param line         lines before {@code offset}
 * @param settledAhead start offsets of records after {@code offset} that are settled too
 * @param failedFile   failed/ file appended to, or null
 * @param failedSize   its size when the checkpoint was written
 * @param rejectedFile rejected/ file appended to, or null
 * @param rejectedSize its size when the checkpoint was written
 * @param complete     true once every record of the file is settled
 * @param claimId      the claim of a source file, given when it was claimed: part of every record's idempotency key,
 *                     so a resumed file sends its records under the same keys; null for a replay, and for a
 *                     source claimed by a release that had no claim ids (its records keep that release's keys)
 * @param snapshot     how far a snapshot file ({@code ferry.snapshot.pattern}) is with its deletes; null for any other
 *                     file (and for a snapshot not started yet)
 */
@RegisterForReflection
public record Checkpoint(String file, Kind kind, long offset, long line, List<Long> settledAhead, String failedFile,
        long failedSize, String rejectedFile, long rejectedSize, boolean complete, String claimId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Snapshot snapshot) {

    public enum Kind {
        SOURCE, REPLAY
    }

    public static Checkpoint start(String file, Kind kind) {
        return new Checkpoint(file, kind, 0, 0, List.of(), null, 0, null, 0, false, null, null);
    }

    /**
     * A snapshot file's deletes: the keys ferry delivered before and the file leaves out. Its records are delivered
     * first ({@link Phase#READING}); then, when none of them keeps it from deleting ({@code holds} is 0), the deletes
     * wait for an operator if there are too many ({@link Phase#HELD}), or go out in key order
     * ({@link Phase#DELETING}).
     *
     * @param phase       where the file is
     * @param holds       records of the file that keep it from deleting anything: failed, given up, or unreadable (a
     *                    line without a key could be the row of any key)
     * @param deletedUpTo DELETING: every key up to this one (in key order) is settled; null: none yet
     * @param absent      HELD: the keys it would delete
     * @param known       HELD: the keys ferry knows (in {@code state/delivered.mv})
     */
    @RegisterForReflection
    public record Snapshot(Phase phase, long holds, String deletedUpTo, long absent, long known) {

        public enum Phase {
            READING, HELD, DELETING
        }

        public static Snapshot reading() {
            return new Snapshot(Phase.READING, 0, null, 0, 0);
        }
    }
}
