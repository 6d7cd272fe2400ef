package dev.ferry.run;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.delivery.CredentialsRefused;
import dev.ferry.delivery.Delivery;
import dev.ferry.delivery.PermanentFault;
import dev.ferry.delivery.RunStopping;
import dev.ferry.delivery.TransientFault;
import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.ingest.RecordParseException;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.state.Checkpoint;
import dev.ferry.core.StopSignal;
import dev.ferry.core.Outcome;

/**
 * Delivers the records of one file: read → send → route (delivered | failed/ | rejected/) →
 * checkpoint. One reader thread reads in file order and hands records to the workers; a worker
 * settles its record; the reader writes the checkpoint every {@value #CHECKPOINT_MILLIS} ms and at
 * the end.
 */
final class FileDelivery {

    private static final Logger LOG = Logger.getLogger(FileDelivery.class);
    static final long CHECKPOINT_MILLIS = 200;

    private final RunContext run;
    private final RecordReader reader;
    private final Settlements settlements;
    private final FileTally tally;
    private long lastCheckpoint = System.nanoTime();

    FileDelivery(RunContext run, RecordReader reader, Checkpoint start, FileTally tally) {
        this.run = run;
        this.reader = reader;
        this.settlements = new Settlements(start);
        this.tally = tally;
    }

    /** @return true when every record of the file is settled; false when the run stopped first */
    boolean deliver() throws IOException, InterruptedException {
        boolean endOfFile = false;
        try (reader) {
            while (!run.stopping()) {
                if (!run.gate.awaitReadable(run.stop, this::checkpointIfDue) || !acquireWindow()) {
                    break;
                }
                if (!readOne()) {
                    endOfFile = true;
                    break;
                }
                checkpointIfDue();
            }
        }
        long graceEnd = 0; // once stopping, in-flight records get one request timeout to end
        while (!settlements.awaitIdle(CHECKPOINT_MILLIS)) {
            checkpointIfDue();
            if (run.stopping()) {
                long now = System.currentTimeMillis();
                if (graceEnd == 0) {
                    graceEnd = now + run.config.request().timeout().toMillis() + 1000;
                } else if (now > graceEnd) {
                    break;
                }
            }
        }
        boolean complete = endOfFile && settlements.allSettled() && run.fatal() == null;
        tally.complete = complete;
        checkpoint(complete);
        return complete;
    }

    /** Reads and dispatches one record; false at the end of the file. */
    private boolean readOne() throws IOException {
        SourceRecord record;
        try {
            record = reader.read();
        } catch (RecordParseException unusable) {
            run.window.release();
            if (!settlements.settledBefore(unusable.offset())) {
                tally.read.incrementAndGet();
                settlements.settleUnread(unusable.offset(), reader.position(), reader.line(),
                        () -> run.rejected.append(rejectedEntry(unusable)));
                count(Outcome.REJECTED);
                LOG.warnf("rejected %s:%d: %s", unusable.file(), unusable.line(),
                        run.redaction.reason(unusable.reason()));
            } else {
                settlements.readUpTo(reader.position(), reader.line());
            }
            return true;
        }
        if (record == null) {
            run.window.release();
            settlements.readUpTo(reader.position(), reader.line());
            return false;
        }
        if (settlements.settledBefore(record.offset())) {
            run.window.release(); // settled by the run that crashed, after its last checkpoint
            settlements.readUpTo(reader.position(), reader.line());
            return true;
        }
        tally.read.incrementAndGet();
        settlements.begin(record.offset(), record.line() - 1, reader.position(), reader.line());
        run.dispatcher.submit(record.key(), () -> deliverOne(record));
        return true;
    }

    /** On a worker thread: one record, to its end. */
    private void deliverOne(SourceRecord record) {
        try {
            Outcome outcome;
            Delivery delivery = new Delivery(record, run.urlOf(record), Json.bytes(record.record()));
            if (run.failedKeys.contains(record.key())) {
                outcome = Outcome.FAILED; // an older record of this key waits in failed/: follow it
                settlements.settle(record.offset(), () -> appendFailed(delivery, "an earlier record of key '"
                        + record.key() + "' is waiting in failed/"));
            } else {
                outcome = send(delivery);
            }
            count(outcome);
            if (tally.kind == Checkpoint.Kind.REPLAY) {
                CrashPoints.passed(CrashPoints.REPLAY_SETTLED);
            }
        } catch (IOException | RuntimeException | Error problem) {
            LOG.errorf(problem, "cannot settle %s:%d", record.file(), record.line());
            run.fatal(problem);
            settlements.leave();
            count(Outcome.LEFT);
        } finally {
            run.window.release();
        }
    }

    /** Takes one of the adaptive concurrency's slots for the record's whole delivery, then {@link #sendInSlot}. */
    private Outcome send(Delivery delivery) throws IOException {
        try {
            run.concurrency.acquire(); // before the breaker's gate: a record let through must not wait after it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return leave();
        }
        try {
            return sendInSlot(delivery);
        } finally {
            run.concurrency.release();
        }
    }

    private Outcome sendInSlot(Delivery delivery) throws IOException {
        SourceRecord record = delivery.record();
        while (true) {
            boolean trial;
            try {
                trial = run.gate.awaitSendable(run.stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return leave();
            }
            if (run.stopping()) {
                return leave();
            }
            try {
                run.sender.deliver(delivery);
                CrashPoints.passed(CrashPoints.DELIVERED);
                endTrial(trial, false);
                settlements.settle(record.offset(), () -> run.index.delivered(record.key(), RecordKeys.contentHash(
                        record.key(), record.record()), record.idempotencyKey(), delivery.body()));
                return Outcome.DELIVERED;
            } catch (CircuitBreakerOpenException refused) {
                endTrial(trial, false);
                try {
                    run.gate.awaitAfterRefusal(); // half-open, the trial is someone else's: wait for its outcome
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return leave();
                }
            } catch (PermanentFault refused) {
                endTrial(trial, false);
                settlements.settle(record.offset(), () -> run.rejected.append(rejectedEntry(delivery, refused)));
                LOG.warnf("rejected %s: %s", record.origin(),
                        run.redaction.answer(refused.status(), refused.bodyExcerpt(), record.record()));
                return Outcome.REJECTED;
            } catch (CredentialsRefused refused) {
                endTrial(trial, false);
                if (!run.stop.requested()) {
                    LOG.errorf("%s; stopping the run, input untouched", refused.getMessage());
                }
                run.stop.request(StopSignal.Reason.CREDENTIALS_REFUSED);
                return leave();
            } catch (RunStopping stopping) {
                endTrial(trial, false);
                return leave();
            } catch (TransientFault | TimeoutException fault) {
                if (run.stop.requested()) {
                    endTrial(trial, false);
                    return leave(); // retries were cut short by the stop: the record stays in its file
                }
                endTrial(trial, true);
                settlements.settle(record.offset(), () -> appendFailed(delivery, fault.getMessage()));
                return Outcome.FAILED;
            }
        }
    }

    private void endTrial(boolean trial, boolean apiFailed) {
        if (trial) {
            run.gate.trialDone(apiFailed);
        }
    }

    private Outcome leave() {
        settlements.leave();
        return Outcome.LEFT;
    }

    private void count(Outcome outcome) {
        tally.count(outcome);
        if (outcome != Outcome.LEFT) {
            run.metrics.settled(outcome);
        }
    }

    private void appendFailed(Delivery delivery, String lastError) throws IOException {
        SourceRecord record = delivery.record();
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("key", record.key());
        entry.put("idempotencyKey", record.idempotencyKey());
        entry.set("record", record.record());
        entry.put("source", record.origin());
        entry.put("attempts", delivery.attempts());
        entry.put("lastError", lastError);
        entry.put("failedAt", run.clock.instant().toString());
        run.failed.append(Json.write(entry));
        CrashPoints.passed(CrashPoints.FAILED_APPENDED);
        run.failedKeys.add(record.key());
    }

    private String rejectedEntry(Delivery delivery, PermanentFault refused) {
        SourceRecord record = delivery.record();
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("source", record.origin());
        entry.put("reason", "the API refused the record (HTTP " + refused.status() + ")");
        entry.put("status", refused.status());
        entry.put("body", refused.bodyExcerpt());
        entry.put("key", record.key());
        entry.put("idempotencyKey", record.idempotencyKey());
        entry.set("record", record.record());
        entry.put("rejectedAt", run.clock.instant().toString());
        return Json.write(entry);
    }

    private String rejectedEntry(RecordParseException unusable) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("source", unusable.file() + ":" + unusable.line());
        entry.put("reason", unusable.reason());
        entry.put("input", unusable.input());
        entry.put("rejectedAt", run.clock.instant().toString());
        return Json.write(entry);
    }

    private boolean acquireWindow() throws InterruptedException {
        while (!run.window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            checkpointIfDue();
            if (run.stopping()) {
                return false;
            }
        }
        return true;
    }

    private void checkpointIfDue() {
        if (System.nanoTime() - lastCheckpoint >= TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MILLIS)) {
            try {
                checkpoint(false);
            } catch (IOException e) {
                run.fatal(e);
            }
        }
    }

    private void checkpoint(boolean complete) throws IOException {
        Checkpoint checkpoint = settlements.snapshot(run.failed, run.rejected, complete);
        run.failed.sync();
        run.rejected.sync();
        run.index.commit();
        run.checkpoints.write(checkpoint);
        lastCheckpoint = System.nanoTime();
    }
}
