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

/**
 * Delivers the records of one file: read → deliver → settle (delivered | failed/ | rejected/) → checkpoint.
 * One reader thread reads in file order and hands records to the workers (never two of one key at once); a
 * worker settles its record; the reader writes the checkpoint every {@link FileDeliveries#CHECKPOINT_EVERY}
 * and at the end.
 */
final class FileDelivery {

    private static final Logger LOG = Logger.getLogger(FileDelivery.class);

    private final FileDeliveries env;
    private final RunContext run;
    private final RecordReader reader;
    private final Settlements settlements;
    private final FileTally tally;
    private Instant lastCheckpoint;
    private final Instant readUntil;

    FileDelivery(FileDeliveries env, RunContext run, RecordReader reader, Checkpoint start, FileTally tally,
            Instant readUntil) {
        this.env = env;
        this.run = run;
        this.reader = reader;
        this.settlements = new Settlements(start);
        this.tally = tally;
        this.lastCheckpoint = env.clock.instant();
        this.readUntil = readUntil;
    }

    /** @return true when every record of the file is settled; false when the run stopped first */
    boolean deliver() throws IOException, InterruptedException {
        boolean endOfFile = readAll();
        drain();
        boolean complete = endOfFile && settlements.allSettled() && run.fatal() == null;
        tally.complete = complete;
        checkpoint(complete);
        return complete;
    }

    /** @return true when the reader reached the end of the file */
    private boolean readAll() throws IOException, InterruptedException {
        try (reader) {
            while (!stopping() && env.clock.instant().isBefore(readUntil)) {
                if (!env.delivery.awaitReadable(this::checkpointIfDue, FileDeliveries.CHECKPOINT_EVERY)
                        || !awaitRoom()) {
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

    /** Waits for the records in flight; once the run stops, they get {@link FileDeliveries#grace} to end. */
    private void drain() throws InterruptedException {
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
            if (ofAnotherShard(null)) {
                settlements.readUpTo(reader.position(), reader.line());
            } else if (!settlements.settledBefore(unusable.offset())) {
                tally.read.incrementAndGet();
                settlements.settleUnread(unusable.offset(), reader.position(), reader.line(),
                        () -> run.outputs.unreadable(unusable));
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
        if (settlements.settledBefore(record.offset())) { // settled by the run that crashed, after its last checkpoint
            settlements.readUpTo(reader.position(), reader.line());
            return true;
        }
        if (ofAnotherShard(record.key())) {
            settlements.readUpTo(reader.position(), reader.line());
            return true;
        }
        tally.read.incrementAndGet();
        settlements.begin(record.offset(), record.line() - 1, reader.position(), reader.line());
        run.workers.submit(record.key(), () -> deliverOne(record));
        return true;
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
    private void deliverOne(SourceRecord record) {
        try {
            String giveUp;
            if (run.failedKeys.contains(record.key())) { // an older record of this key waits in failed/: follow it
                settlements.settle(record.offset(), () -> appendFailed(record, 0,
                        "an earlier record of key '" + record.key() + "' is waiting in failed/"));
                count(Outcome.FAILED);
            } else if ((giveUp = env.giveUp(record)) != null) {
                settlements.settle(record.offset(), () -> run.outputs.givenUp(record, giveUp));
                LOG.warnf("given up %s (%s): %s", env.redaction.key(record.key()), record.origin(), giveUp);
                count(Outcome.GIVEN_UP);
            } else {
                settle(record, env.delivery.deliver(record));
            }
            if (tally.kind == Checkpoint.Kind.REPLAY) {
                CrashPoints.passed(CrashPoints.REPLAY_SETTLED);
            }
        } catch (IOException | RuntimeException | Error problem) {
            LOG.errorf(problem, "cannot settle %s:%d", record.file(), record.line());
            run.fatal(problem);
            settlements.leave();
            count(Outcome.LEFT);
        }
    }

    private void settle(SourceRecord record, DeliveryResult result) throws IOException {
        switch (result.outcome()) {
            case DELIVERED -> {
                CrashPoints.passed(CrashPoints.DELIVERED);
                settlements.settle(record.offset(), () -> run.outputs.delivered(record));
            }
            case FAILED -> settlements.settle(record.offset(), () -> appendFailed(record, result.attempts(), result.error()));
            case REJECTED -> {
                settlements.settle(record.offset(), () -> run.outputs.refused(record, result.status(), result.body()));
                LOG.warnf("rejected %s: %s", record.origin(),
                        env.redaction.answer(result.status(), result.body(), record.record()));
            }
            case LEFT -> settlements.leave();
        }
        count(result.outcome());
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

    private boolean stopping() {
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

    private void checkpointIfDue() {
        if (Duration.between(lastCheckpoint, env.clock.instant()).compareTo(FileDeliveries.CHECKPOINT_EVERY) >= 0) {
            try {
                checkpoint(false);
            } catch (IOException e) {
                run.fatal(e);
            }
        }
    }

    private void checkpoint(boolean complete) throws IOException {
        Checkpoint checkpoint = settlements.snapshot(run.outputs.failedLog(), run.outputs.rejectedLog(), complete);
        run.outputs.sync();
        env.checkpoints.write(checkpoint);
        lastCheckpoint = env.clock.instant();
    }
}
