package dev.ferry.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Shard;
import dev.ferry.core.StopSignal;
import dev.ferry.delivery.RecordDelivery;
import dev.ferry.delivery.Redaction;
import dev.ferry.ingest.FailedRecordReader;
import dev.ferry.ingest.ReaderSettings;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceFormat;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.ingest.UnreadableFileException;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.CorruptStateException;
import dev.ferry.state.DataDir;
import dev.ferry.state.FileSequence;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RunOutputs;
import dev.ferry.state.RunReport;
import dev.ferry.state.SafeNames;
import dev.ferry.state.ShardClaims;

/**
 * Opens one file of a run (a source in processing/, or a failed/ file being replayed) at its checkpoint and
 * delivers it with a {@link FileDelivery}; holds what every file's delivery needs from the application. A file
 * whose checkpoint is corrupt, or that cannot be opened as data (not a regular file, unreadable, a header the
 * reader refuses), goes to quarantine/ with the reason, its checkpoint deleted, and the run goes on with the
 * next file: one unreadable file never stops the run.
 */
@Singleton // no client proxy: FileDelivery reads these fields directly
class FileDeliveries {

    private static final Logger LOG = Logger.getLogger(FileDeliveries.class);
    /** How often a file's checkpoint is written while its records settle. */
    static final Duration CHECKPOINT_EVERY = Duration.ofMillis(200);
    /**
     * The most records the reader hands on (or rejects) between two checkpoints: it writes one sooner when it reaches
     * this many. So a killed run can have sent, beyond its last checkpoint, only the records that checkpoint left
     * unsettled ahead of its mark and this many more ({@link #suspects}).
     */
    static final int CHECKPOINT_RECORDS = 1000;

    final RecordDelivery delivery;
    final Checkpoints checkpoints;
    private final Quarantine quarantine;
    private final DataDir dataDir;
    private final FileSequence fileNames;
    private final ShardClaims claims;
    /** Whose records this process delivers ({@code ferry.shard.*}). */
    final Shard shard;
    final StopSignal stop;
    final FerryMetrics metrics;
    final Clock clock;
    /** What log lines may show of records and of the API's answers (ferry.log.redact-fields). */
    final Redaction redaction;
    /** Once the run stops, records in flight get one request timeout (and a second) to end. */
    final Duration grace;
    private final int maxRuns;
    private final Duration maxAge;
    private final FerryConfig config;
    private ReaderSettings readerSettings;
    /** {@code ferry.verify.ambiguous-after}; zero: off. */
    private Duration ambiguousAfter;
    /** Skip-unchanged and snapshots, read at the start of a run. */
    ChangeRules changes;

    FileDeliveries(RecordDelivery delivery, Checkpoints checkpoints, Quarantine quarantine, DataDir dataDir,
            FileSequence fileNames, ShardClaims claims, StopSignal stop, FerryMetrics metrics, Clock clock,
            FerryConfig config) {
        this.delivery = delivery;
        this.dataDir = dataDir;
        this.fileNames = fileNames;
        this.claims = claims;
        this.shard = dataDir.shard();
        this.checkpoints = checkpoints;
        this.quarantine = quarantine;
        this.stop = stop;
        this.metrics = metrics;
        this.clock = clock;
        this.redaction = Redaction.of(config);
        this.grace = config.request().timeout().plusSeconds(1);
        this.maxRuns = config.failed().maxRuns();
        this.maxAge = config.failed().maxAge();
        this.config = config;
    }

    /**
     * Takes what every file's reader needs, checked at the start of a run ({@link StartChecks}), and reads
     * {@code ferry.verify.ambiguous-after}.
     *
     * @throws ConfigurationError a value cannot be used (exit 78)
     */
    void prepare(ReaderSettings readerSettings) {
        this.readerSettings = readerSettings;
        ambiguousAfter = Reconciliation.ambiguousAfter(config);
        changes = ChangeRules.of(config);
    }

    /**
     * A request for {@code record} may have been applied without ferry knowing it, at {@code at} or before: its key is
     * read back {@code ferry.verify.ambiguous-after} later ({@link Reconciliation}).
     */
    void ambiguous(RunContext run, SourceRecord record, Instant at) throws IOException {
        if (!ambiguousAfter.isZero()) {
            run.outputs.ambiguous(record, at.plus(ambiguousAfter));
        }
    }

    /**
     * How many records, from {@code start} on, a run killed while delivering the file may have sent without their
     * outcome reaching {@code start}: those it left unsettled ahead of the checkpoint's mark (fewer than the records
     * settled beyond it plus those pending at once, {@link KeyedDispatcher#capacity}) and those it read after it
     * ({@link #CHECKPOINT_RECORDS}). A request in flight when the process died is an ambiguous answer like a
     * timeout; counted in records read, settled or not, so the bound holds across several killed runs. 0 for a file
     * no earlier run started, or with ambiguous-after off.
     */
    private long suspects(RunContext run, Checkpoint start, boolean resumed) {
        return resumed && !ambiguousAfter.isZero()
                ? start.settledAhead().size() + run.workers.capacity() + CHECKPOINT_RECORDS : 0;
    }

    /**
     * A source file settled and moved on: when it was a snapshot, the keys it named are forgotten (only now: a
     * crash before would resume its deletes, which need them).
     */
    void finished(RunContext run, Checkpoint start) throws IOException {
        if (start.claimId() != null && changes.isSnapshot(start.file())) {
            run.outputs.snapshotKeys().release(start.claimId());
        }
    }

    /**
     * Where a file's delivery starts: its checkpoint, or its first line when it has none.
     *
     * @return empty when its checkpoint is corrupt: the file is then in quarantine/
     */
    Optional<Checkpoint> start(RunContext run, Path path, Checkpoint.Kind kind) throws IOException {
        String name = path.getFileName().toString();
        try {
            return Optional.of(checkpoints.read(kind, name).orElseGet(() -> Checkpoint.start(name, kind)));
        } catch (CorruptStateException corrupt) {
            setAside(run, path, kind, "its checkpoint " + corrupt.file() + " is corrupt (" + corrupt.problem()
                    + "), so how far it was delivered is unknown");
            return Optional.empty();
        }
    }

    /**
     * Opens a file at {@code start}.
     *
     * @return empty when it cannot be read as data (it is then in quarantine/) or has vanished
     */
    Optional<RecordReader> open(RunContext run, Path path, Checkpoint start) throws IOException {
        String name = path.getFileName().toString();
        boolean resumed = start.offset() > 0;
        RecordReader reader;
        try {
            if (start.kind() == Checkpoint.Kind.REPLAY) {
                reader = new FailedRecordReader(path, "failed/" + name, start.offset(), start.line());
            } else {
                SourceFormat format = SourceFormat.of(name)
                        .orElseThrow(() -> new IOException("it has no supported extension"));
                reader = format.open(path, readerSettings, start.claimId(), start.offset(), start.line());
            }
        } catch (NoSuchFileException vanished) {
            LOG.infof("%s vanished before it could be read; skipped", name);
            checkpoints.delete(start.kind(), name);
            return Optional.empty();
        } catch (UnreadableFileException unreadable) {
            setAside(run, path, start.kind(), "it cannot be read as data: " + unreadable.reason());
            return Optional.empty();
        } catch (IOException unreadable) {
            setAside(run, path, start.kind(), "it cannot be read as data: " + describe(unreadable));
            return Optional.empty();
        }
        if (start.kind() == Checkpoint.Kind.REPLAY) {
            LOG.infof("replaying failed/%s%s", name, resumed ? " from line " + (start.line() + 1) : "");
        } else {
            LOG.infof("%s %s%s", resumed ? "resuming" : "delivering", name,
                    resumed ? " from line " + (start.line() + 1) : "");
        }
        return Optional.of(reader);
    }

    /**
     * Whether a listed file of processing/ or failed/ ({@code folder}) has a name the JVM cannot turn back into a
     * path: a name of other characters that a run under a UTF-8 locale left, listed under one that is not (LANG unset
     * or {@code C}: cron, a minimal image). Such a file is left as it is: renamed ({@link SafeNames#writable}) it
     * would lose its checkpoint and the order it holds, and a run under a UTF-8 locale takes it on from its
     * checkpoint. Said as an ERROR naming it ({@link SafeNames#shown}), what to do, and what waits with it
     * ({@code waits}); the run ends with exit 75, as the file is work left.
     */
    static boolean unreachable(Path listed, String folder, String waits) {
        if (SafeNames.encodable(listed.getFileName().toString())) {
            return false;
        }
        LOG.errorf("%s%s: this locale cannot write its name (file names in %s): it is left as it is, with its "
                + "checkpoint, for a run under a UTF-8 locale (LANG=C.UTF-8, for one) to take on from there; %s; "
                + "the run ends with exit 75", folder, SafeNames.shown(listed),
                System.getProperty("sun.jnu.encoding"), waits);
        return true;
    }

    /** Sets an entry aside in quarantine/ (counted in {@code ferry_files_quarantined_total}). */
    void setAside(RunContext run, Path path, String reason) throws IOException {
        if (quarantine.put(path, reason, run.runId).isPresent()) {
            metrics.fileQuarantined();
        }
    }

    /**
     * Sets a file aside in quarantine/ and deletes its checkpoint: the run goes on without it. A source that shards
     * share loses its claim record and markers too, so that a later file of its name is a claim of its own.
     */
    void setAside(RunContext run, Path path, Checkpoint.Kind kind, String reason) throws IOException {
        String name = path.getFileName().toString();
        setAside(run, path, reason);
        checkpoints.delete(kind, name);
        if (kind == Checkpoint.Kind.SOURCE && !shard.single()) {
            Optional<String> claim = claims.claimId(name);
            claims.forgetClaim(name);
            if (claim.isPresent()) {
                claims.forgetMarkers(name, claim.get(), false);
            }
        }
    }

    /** What the files of run {@code runId} will share: its failed/ and rejected/ files, its ledger, its workers. */
    RunContext newRun(String runId) throws IOException {
        return new RunContext(runId, new RunOutputs(dataDir, fileNames, runId, clock), config.delivery().concurrency());
    }

    /**
     * Why a record from failed/ is given up rather than sent again ({@code ferry.failed.max-runs},
     * {@code ferry.failed.max-age}); null when it is tried again.
     */
    String giveUp(SourceRecord record) {
        SourceRecord.Replayed replayed = record.replayed();
        if (replayed == null) {
            return null;
        }
        if (replayed.runs() >= maxRuns) {
            return "gave up after " + replayed.runs() + " runs (ferry.failed.max-runs)";
        }
        Duration age = Duration.between(replayed.firstFailedAt(), clock.instant());
        if (age.compareTo(maxAge) >= 0) {
            return "gave up: in failed/ since " + replayed.firstFailedAt() + ", longer than ferry.failed.max-age ("
                    + maxAge + ")";
        }
        return null;
    }

    /**
     * Delivers the file {@code reader} reads, from {@code start}; closes the reader.
     *
     * @param resumed an earlier run started the file (its requests after {@code start} may have gone out)
     */
    boolean deliver(RunContext run, RecordReader reader, Checkpoint start, boolean resumed)
            throws IOException, InterruptedException {
        return deliver(run, reader, start, Instant.MAX, resumed);
    }

    /**
     * Delivers the file {@code reader} reads, from {@code start}, reading no further record once {@code readUntil}
     * has passed (the part of the run the file may take); closes the reader.
     *
     * @param resumed an earlier run started the file (its requests after {@code start} may have gone out)
     * @return true when every record of the file is settled
     */
    boolean deliver(RunContext run, RecordReader reader, Checkpoint start, Instant readUntil, boolean resumed)
            throws IOException, InterruptedException {
        String name = start.file();
        FileTally tally = new FileTally(name, start.kind());
        run.files.add(tally);
        boolean complete = new FileDelivery(this, run, reader, start, tally, readUntil,
                suspects(run, start, resumed)).deliver();
        RunReport.FileSummary s = tally.summary();
        LOG.infof("%s: read %d%s, delivered %d, unchanged %d, deleted %d, failed %d, rejected %d, given up %d, left %d%s%s",
                name, s.read(), s.deletes() == 0 ? "" : " + snapshot deletes " + s.deletes(), s.delivered(),
                s.unchanged(), s.deleted(), s.failed(), s.rejected(), s.givenUp(), s.left(),
                shard.single() ? "" : "; " + s.otherShards() + " of other shards", complete ? "" : " (not finished)");
        return complete;
    }

    /** The reason an open failed, without the file's path (the note names it) and without its content. */
    private static String describe(IOException problem) {
        if (problem instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (problem instanceof FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
        }
        return problem.getMessage() != null ? problem.getMessage() : problem.getClass().getSimpleName();
    }
}
