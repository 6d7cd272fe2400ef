package dev.ferry.run;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.jboss.logging.Logger;

import dev.ferry.core.StopSignal;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.RunReport;
import dev.ferry.state.SnapshotKeys;

/**
 * The deletes of a snapshot file whose records are all settled: every key ferry delivered before (the
 * {@link DeliveredIndex}) that the file did not name ({@link SnapshotKeys}) gets a {@code DELETE}, in key order,
 * through the run's workers and {@code RecordDelivery}: the rate limit, retries, breaker, timeout and per-key order of
 * any record. The Idempotency-Key is {@link RecordKeys#deleteIdempotencyKey} of the key and the file's claim. A key
 * waiting in failed/ gets its delete queued behind it there (the snapshot is newer than what waits), and a delete
 * that fails goes to failed/ like a record; the API's 2xx, 404 or 410 removes the key from the index.
 * <p>
 * Nothing is deleted when a record of the file failed, was given up or could not be read (the file is then not
 * known to name every key), nor when the keys it named are gone from {@code state/delivered.mv}. When the deletes
 * would be more than {@code ferry.snapshot.max-delete-ratio} of the known keys, none goes out: the phase is
 * {@code HELD} in the file's checkpoint, the run stops with exit 76, and the file waits in processing/ (so no later
 * file is taken) until a run allows it. The checkpoint keeps the key up to which every delete is settled, so a run
 * that resumes the file goes on after it.
 */
final class SnapshotDeletes {

    private static final Logger LOG = Logger.getLogger(SnapshotDeletes.class);

    /** The file's records are not all settled yet. */
    static final RunReport.SnapshotDeletes PENDING = new RunReport.SnapshotDeletes("pending", null, null, null);
    /** Absent keys read from the index at a time. */
    private static final int BATCH = 1000;

    private final FileDelivery file;
    private final Settlements settlements;
    private final String name;
    private final String claim;
    private final double maxRatio;

    SnapshotDeletes(FileDelivery file, String claim, double maxRatio) {
        this.file = file;
        this.settlements = file.settlements;
        this.name = file.tally.file;
        this.claim = claim;
        this.maxRatio = maxRatio;
    }

    /** @return true when the file is done with its deletes (all settled, or none to make); false when the run stops */
    boolean run() throws IOException, InterruptedException {
        SnapshotKeys named = file.run.outputs.snapshotKeys();
        if (settlements.holds() > 0) {
            return skipped(settlements.holds() + " of its records failed, were given up or had no usable key, so it "
                    + "is not known to name every key");
        }
        if (!named.ownedBy(claim)) {
            return skipped("state/delivered.mv no longer holds the keys it named");
        }
        Long absent = null;
        Long known = null;
        if (settlements.phase() != Checkpoint.Snapshot.Phase.DELETING) {
            known = file.run.outputs.knownKeys();
            absent = named.countAbsent();
            if (absent > maxRatio * known) {
                return held(absent, known);
            }
            settlements.deleting();
            file.checkpoint(false); // the guard's decision is durable before the first delete goes out
            if (absent > 0) {
                LOG.infof("snapshot %s: deleting the %d of %d known keys it left out", name, absent, known);
            }
        }
        file.tally.snapshot = new RunReport.SnapshotDeletes("deleting", absent, known, null);
        boolean sent = sendAll(named);
        file.drain();
        boolean done = sent && settlements.allSettled() && !file.stopping();
        if (done) {
            file.tally.snapshot = new RunReport.SnapshotDeletes("deleted", absent, known, null);
        }
        return done;
    }

    /**
     * Dispatches a delete for every absent key, in key order, from where the checkpoint says.
     *
     * @return true when every absent key was dispatched; false when the run stops first
     */
    private boolean sendAll(SnapshotKeys named) throws InterruptedException {
        String after = settlements.deletedUpTo();
        while (true) {
            List<DeliveredIndex.Entry> batch = named.absent(after, BATCH); // a batch at a time: checkpoints commit
            if (batch.isEmpty()) {
                return true;
            }
            for (DeliveredIndex.Entry entry : batch) {
                if (file.stopping() || !file.awaitTurn()) {
                    return false;
                }
                SourceRecord delete = SourceRecord.delete(name, entry.key(), entry.record(),
                        RecordKeys.deleteIdempotencyKey(entry.key(), claim));
                file.tally.deletes.incrementAndGet();
                file.dispatch(delete, settlements.beginDelete(entry.key()), false);
                after = entry.key();
                file.checkpointIfDue();
            }
        }
    }

    private boolean skipped(String reason) {
        LOG.warnf("snapshot %s: nothing deleted: %s", name, reason);
        file.tally.snapshot = new RunReport.SnapshotDeletes("skipped", null, null, reason);
        return true;
    }

    /** Too many deletes: none goes out, the run stops (exit 76), the file waits for an operator. */
    private boolean held(long absent, long known) throws IOException {
        settlements.held(absent, known);
        file.checkpoint(false);
        String why = String.format(Locale.ROOT, "snapshot %s would delete %,d of %,d keys (%d %%) > "
                + "ferry.snapshot.max-delete-ratio %s; nothing deleted", name, absent, known,
                Math.round(100.0 * absent / known), maxRatio);
        LOG.errorf("%s. The run stops; the file waits in processing/ and no later file is taken. If the deletes are "
                + "right, run once with a higher ferry.snapshot.max-delete-ratio; if the export is wrong, remove "
                + "processing/%s", why, name);
        file.tally.snapshot = new RunReport.SnapshotDeletes("held", absent, known, why);
        file.env.stop.request(StopSignal.Reason.MASS_DELETE);
        return false;
    }
}
