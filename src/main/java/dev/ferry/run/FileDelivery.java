package dev.ferry.run;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import dev.ferry.core.Outcome;
import dev.ferry.delivery.DeliveryResult;
import dev.ferry.ingest.RecordParseException;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.SnapshotKeys;

/**
 * Delivers the records of one file: read → deliver → settle (delivered | unchanged | failed/ | rejected/) →
 * checkpoint. One reader thread reads in file order and hands records to the workers (never two of one key at
 * once); a worker settles its record; the reader writes the checkpoint every {@link FileDeliveries#CHECKPOINT_EVERY},
 * after {@link FileDeliveries#CHECKPOINT_RECORDS} records, and at the end. A record whose delivery may have been
 * applied without ferry knowing it is marked for a read-back: one that met an ambiguous answer, and, in a file an
 * earlier run started, one that run may have had in flight when it was killed. A snapshot file ({@code ferry.snapshot.pattern}) names each key it settles in the
 * {@link SnapshotKeys}, and once all its records are settled its {@link SnapshotDeletes} delete the keys it left
 * out, through the same workers, before the file counts as complete.
 */
final class FileDelivery {

    private static final Logger LOG = Logger.getLogger(FileDelivery.class);

    final FileDeliveries env;
    final RunContext run;
    private final RecordReader reader;
    final Settlements settlements;
    final FileTally tally;
    private final Checkpoint start;
    private Instant lastCheckpoint;
    private final Instant readUntil;
    /** The keys this snapshot names; null unless the file is a snapshot. */
    private SnapshotKeys named;
    /** Records still to read of those an earlier, killed run may have sent (reader thread only). */
    private long suspects;
    /** Records handed on or rejected since the last checkpoint (reader thread only). */
    private int sinceCheckpoint;

    FileDelivery(FileDeliveries env, RunContext run, RecordReader reader, Checkpoint start, FileTally tally,
            Instant readUntil, long suspects) {
        this.env = env;
        this.run = run;
        this.reader = reader;
        this.start = start;
        this.settlements = new Settlements(start);
        this.tally = tally;
        this.lastCheckpoint = env.clock.instant();
        this.readUntil = readUntil;
        this.suspects = suspects;
    }

    /** @return true when every record of the file is settled (and a snapshot's deletes); false when the run stopped first */
    boolean deliver() throws IOException, InterruptedException {
        if (start.kind() == Checkpoint.Kind.SOURCE) {
            snapshotOrNot();
        }
        boolean endOfFile = readAll();
        drain();
        boolean complete = endOfFile && settlements.allSettled() && run.fatal() == null;
        if (complete && named != null) {
            complete = new SnapshotDeletes(this, start.claimId(), env.changes.maxDeleteRatio()).run();
        }
        tally.complete = complete;
        checkpoint(complete);
        return complete;
    }

    /**
     * Whether the file is a snapshot: one whose name matches {@code ferry.snapshot.pattern} and that was delivered
     * as one from its first record (a file claimed before the pattern named it was not counted key by key).
     */
    private void snapshotOrNot() throws IOException {
        boolean matches = env.changes.isSnapshot(start.file());
        if (start.snapshot() != null && !matches) {
            LOG.infof("%s no longer matches ferry.snapshot.pattern: it is delivered as a file like any other, and "
                    + "nothing is deleted for it", start.file());
            settlements.dropSnapshot();
        } else if (start.snapshot() == null && matches) {
            boolean fresh = start.offset() == 0 && start.settledAhead().isEmpty() && start.claimId() != null;
            if (!fresh) {
                LOG.warnf("%s matches ferry.snapshot.pattern but was partly delivered before it did: it is delivered "
                        + "as a file like any other, and nothing is deleted for it", start.file());
                return;
            }
            run.outputs.snapshotKeys().begin(start.claimId());
            settlements.startSnapshot();
        }
        if (settlements.phase() != null) {
            named = run.outputs.snapshotKeys();
            tally.snapshot = SnapshotDeletes.PENDING;
        }
    }

    /** @return true when the reader reached the end of the file */
    private boolean readAll() throws IOException, InterruptedException {
        try (reader) {
            while (!stopping() && env.clock.instant().isBefore(readUntil)) {
                if (!awaitTurn()) {
                    return false;
                }
                if (!readOne()) {
                    return true;
                }
                checkpointIfDue();
            }
            return false;
        }
    }

    /**
     * Waits until the next record may go: the breaker lets the reader read, and the workers have room.
     *
     * @return false when the run stops first
     */
    boolean awaitTurn() throws InterruptedException {
        return env.delivery.awaitReadable(this::checkpointIfDue, FileDeliveries.CHECKPOINT_EVERY) && awaitRoom();
    }

    /** Waits for the records in flight; once the run stops, they get {@link FileDeliveries#grace} to end. */
    void drain() throws InterruptedException {
        Instant graceEnd = null;
        while (!settlements.awaitIdle(FileDeliveries.CHECKPOINT_EVERY, env.clock)) {
            checkpointIfDue();
            if (stopping()) {
                Instant now = env.clock.instant();
                graceEnd = graceEnd == null ? now.plus(env.grace) : graceEnd;
                if (now.isAfter(graceEnd)) {
                    return;
                }
            }
        }
    }

    /** Reads and dispatches one record; false at the end of the file. */
    private boolean readOne() throws IOException {
        SourceRecord record;
        try {
            record = reader.read();
        } catch (RecordParseException unusable) {
            suspect();
            if (ofAnotherShard(null)) {
                if (named != null) {
                    settlements.hold(); // a line without a key could be the row of any key, this shard's too
                }
                settlements.readUpTo(reader.position(), reader.line());
            } else if (!settlements.settledBefore(unusable.offset())) {
                sinceCheckpoint++;
                tally.read.incrementAndGet();
                settlements.settleUnread(unusable.offset(), reader.position(), reader.line(), () -> {
                    run.outputs.unreadable(unusable);
                    if (named != null) {
                        settlements.hold(); // a line without a key could be the row of any key
                    }
                });
                count(Outcome.REJECTED);
                LOG.warnf("rejected %s:%d: %s", unusable.file(), unusable.line(), env.redaction.reason(unusable.reason()));
            } else {
                settlements.readUpTo(reader.position(), reader.line());
            }
            return true;
        }
        if (record == null) {
            settlements.readUpTo(reader.position(), reader.line());
            return false;
        }
        if (ofAnotherShard(record.key())) { // before suspect(): the window counts this shard's records
            settlements.readUpTo(reader.position(), reader.line());
            return true;
        }
        boolean sentBefore = suspect();
        if (settlements.settledBefore(record.offset())) { // settled by the run that crashed, after its last checkpoint
            settlements.readUpTo(reader.position(), reader.line());
            return true;
        }
        tally.read.incrementAndGet();
        settlements.begin(record.offset(), record.line() - 1, reader.position(), reader.line());
        sinceCheckpoint++;
        dispatch(record, settlements.record(record.offset()), sentBefore);
        return true;
    }

    /** Counts a record read off the records a killed run may have sent; true while it is one of them. */
    private boolean suspect() {
        if (suspects == 0) {
            return false;
        }
        suspects--;
        return true;
    }

    /**
     * Hands {@code record} to the workers under its key; {@code pending} settles it.
     *
     * @param sentBefore a killed run may have had its request in flight
     */
    void dispatch(SourceRecord record, Settlements.Pending pending, boolean sentBefore) {
        run.workers.submit(record.key(), () -> deliverOne(record, pending, sentBefore));
    }

    /**
     * Whether a record of a source file (or, with a null key, input without a key) is another shard's to deliver:
     * this one passes over it, counted apart from what it read. failed/ holds only this shard's records.
     */
    private boolean ofAnotherShard(String key) {
        boolean another = tally.kind == Checkpoint.Kind.SOURCE
                && !(key == null ? env.shard.ownsUnkeyed() : env.shard.owns(key));
        if (another) {
            tally.otherShards.incrementAndGet();
        }
        return another;
    }

    /** On a worker thread: one record, to its end. */
    private void deliverOne(SourceRecord record, Settlements.Pending pending, boolean sentBefore) {
        try {
            if (sentBefore) {
                env.ambiguous(run, record, env.clock.instant());
            }
            String giveUp;
            if (run.failedKeys.contains(record.key())) { // an older record of this key waits in failed/: follow it
                settle(record, pending, Outcome.FAILED, () -> appendFailed(record, 0,
                        "an earlier record of key '" + record.key() + "' is waiting in failed/"));
            } else if ((giveUp = env.giveUp(record)) != null) {
                settle(record, pending, Outcome.GIVEN_UP, () -> run.outputs.givenUp(record, giveUp));
                LOG.warnf("given up %s (%s): %s", env.redaction.key(record.key()), record.origin(), giveUp);
            } else if (env.changes.skipsUnchanged(record) && run.outputs.unchanged(record)) {
                settle(record, pending, Outcome.UNCHANGED, null);
            } else {
                settle(record, pending, env.delivery.deliver(record));
            }
            if (tally.kind == Checkpoint.Kind.REPLAY) {
                CrashPoints.passed(CrashPoints.REPLAY_SETTLED);
            }
        } catch (IOException | RuntimeException | Error problem) {
            if (run.fatal(problem)) {
                LOG.errorf(problem, "cannot settle %s", record.origin());
            } else { // the run is ending on an earlier failure, most likely the same one: no stack trace again
                LOG.errorf("cannot settle %s: %s", record.origin(), RunSummary.describe(problem));
            }
            pending.leave();
            count(Outcome.LEFT);
        }
    }

    private void settle(SourceRecord record, Settlements.Pending pending, DeliveryResult result) throws IOException {
        if (result.ambiguousAt() != null) { // before the record settles: the checkpoint that passes it commits the mark
            env.ambiguous(run, record, result.ambiguousAt());
        }
        switch (result.outcome()) {
            case DELIVERED -> {
                if (record.deletes()) {
                    CrashPoints.passed(CrashPoints.DELETED);
                    settle(record, pending, Outcome.DELETED, () -> run.outputs.deleted(record.key()));
                } else {
                    CrashPoints.passed(CrashPoints.DELIVERED);
                    settle(record, pending, Outcome.DELIVERED, () -> run.outputs.delivered(record));
                }
            }
            case FAILED -> settle(record, pending, Outcome.FAILED,
                    () -> appendFailed(record, result.attempts(), result.error()));
            case REJECTED -> {
                settle(record, pending, Outcome.REJECTED, () -> run.outputs.refused(record, result.status(),
                        result.body(), result.error()));
                LOG.warnf("rejected %s%s: %s", record.deletes() ? "the delete of " : "", record.origin(),
                        env.redaction.answer(result.status(), result.body(), record.record()));
            }
            case LEFT -> {
                pending.leave();
                count(Outcome.LEFT);
            }
        }
    }

    /**
     * Settles {@code record} as {@code outcome} with what goes with it ({@code append}, may be null); a snapshot's
     * own record also names its key, and one that failed or was given up keeps the snapshot from deleting.
     */
    private void settle(SourceRecord record, Settlements.Pending pending, Outcome outcome, Settlements.Append append)
            throws IOException {
        pending.settle(() -> {
            if (append != null) {
                append.run();
            }
            if (named != null && !record.deletes()) {
                named.add(record.key());
                if (outcome == Outcome.FAILED || outcome == Outcome.GIVEN_UP) {
                    settlements.hold();
                }
            }
        });
        count(outcome);
    }

    private void appendFailed(SourceRecord record, int attempts, String lastError) throws IOException {
        run.outputs.failed(record, attempts, lastError);
        CrashPoints.passed(CrashPoints.FAILED_APPENDED);
        run.failedKeys.add(record.key());
    }

    private void count(Outcome outcome) {
        tally.count(outcome);
        if (outcome != Outcome.LEFT) {
            env.metrics.settled(outcome);
        }
    }

    boolean stopping() {
        return run.fatal() != null || env.stop.requested();
    }

    private boolean awaitRoom() throws InterruptedException {
        while (!run.workers.awaitRoom(FileDeliveries.CHECKPOINT_EVERY.toMillis())) {
            checkpointIfDue();
            if (stopping()) {
                return false;
            }
        }
        return true;
    }

    void checkpointIfDue() {
        if (sinceCheckpoint >= FileDeliveries.CHECKPOINT_RECORDS
                || Duration.between(lastCheckpoint, env.clock.instant()).compareTo(FileDeliveries.CHECKPOINT_EVERY) >= 0) {
            try {
                checkpoint(false);
            } catch (IOException e) {
                run.fatal(e);
            }
        }
    }

    void checkpoint(boolean complete) throws IOException {
        Checkpoint checkpoint = settlements.snapshot(run.outputs.failedLog(), run.outputs.rejectedLog(), complete);
        run.outputs.sync();
        env.checkpoints.write(checkpoint);
        lastCheckpoint = env.clock.instant();
        sinceCheckpoint = 0;
    }
}
