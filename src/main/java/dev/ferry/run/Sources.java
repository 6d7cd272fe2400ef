package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Inbox;
import dev.ferry.ingest.RecordReader;
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.IngestedFiles;
import dev.ferry.state.RunOutputs;
import dev.ferry.state.SafeNames;

/**
 * The source files of a run (SPEC §1 steps 2 and 4): those a killed run left in processing/, resumed from
 * their checkpoint, then the inbox, one file at a time strictly in name order, claimed by an atomic rename
 * into processing/. The inbox is untrusted (SPEC §2): an entry that is not a regular file goes to
 * quarantine/ unread, and a file still being written holds back the files named after it (SPEC §3). A
 * settled file moves to done/ (kept {@code ferry.done.retention}).
 */
@ApplicationScoped
class Sources {

    private static final Logger LOG = Logger.getLogger(Sources.class);

    private final DataDir dataDir;
    private final Checkpoints checkpoints;
    private final FileDeliveries files;
    private final IngestedFiles ingested;
    private final FerryConfig config;
    private final Clock clock;

    Sources(DataDir dataDir, Checkpoints checkpoints, FileDeliveries files, IngestedFiles ingested, FerryConfig config,
            Clock clock) {
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.files = files;
        this.ingested = ingested;
        this.config = config;
        this.clock = clock;
    }

    /** Step 2: files a killed run left in processing/ continue from their checkpoint. */
    boolean resume(RunContext run) throws IOException, InterruptedException {
        for (String name : DataDir.names(dataDir.processing())) {
            Path path = dataDir.processing().resolve(name);
            Optional<Checkpoint> start = files.start(run, path, Checkpoint.Kind.SOURCE);
            if (start.isEmpty()) {
                continue;
            }
            RunOutputs.cutBack(dataDir, start.get());
            run.failedKeys = FailedKeys.of(dataDir.failed(), DataDir.names(dataDir.failed()));
            if (!deliver(run, path, start.get(), true)) {
                return false;
            }
        }
        return !files.stop.requested() && run.fatal() == null;
    }

    /**
     * Step 4: inbox files, one at a time strictly in name order, claimed by an atomic rename into processing/;
     * stops at the first one still being written.
     */
    boolean takeInbox(RunContext run) throws IOException, InterruptedException {
        Inbox inbox = inbox();
        while (!files.stop.requested() && run.fatal() == null) {
            Optional<Inbox.Entry> next = inbox.next();
            if (next.isEmpty()) {
                return true;
            }
            Inbox.Entry entry = next.get();
            switch (entry.kind()) {
                case NOT_SETTLED -> {
                    LOG.infof("inbox/%s is still being written: it and the files named after it wait for a later run",
                            entry.name());
                    return true;
                }
                case NOT_A_REGULAR_FILE -> files.setAside(run, entry.path(), "it is not a regular file but "
                        + entry.type() + ": ferry reads only regular files and never follows links");
                case READY -> {
                    Optional<Checkpoint> start = InboxClaim.claim(dataDir, checkpoints, run.outputs, entry.path(),
                            run.nextClaimId());
                    if (start.isPresent()
                            && !deliver(run, dataDir.processing().resolve(entry.name()), start.get(), false)) {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Opens and delivers one source in processing/ ({@code resumed}: left by an earlier run); @return false when the
     * run stopped before it was settled
     */
    private boolean deliver(RunContext run, Path path, Checkpoint start, boolean resumed)
            throws IOException, InterruptedException {
        Optional<RecordReader> reader = files.open(run, path, start);
        if (reader.isEmpty()) {
            return true; // set aside: the run goes on with the next file
        }
        if (!files.deliver(run, reader.get(), start, resumed)) {
            return false;
        }
        finish(path.getFileName().toString());
        files.finished(run, start);
        return true;
    }

    /** Whether source input is left for the next run: a file in processing/, or (after a stop) one ready in the inbox. */
    boolean inputLeft(boolean stopped) throws IOException {
        return !DataDir.names(dataDir.processing()).isEmpty() || (stopped && !inbox().ready().isEmpty());
    }

    /** Deletes what done/ has kept longer than {@code ferry.done.retention}. */
    void cleanDone() {
        Duration retention = config.done().retention();
        if (retention.isZero()) {
            return;
        }
        Instant limit = clock.instant().minus(retention);
        try (Stream<Path> done = Files.list(dataDir.done())) {
            for (Path file : done.toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(limit)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot clean done/: %s", e.toString());
        }
    }

    private Inbox inbox() {
        return new Inbox(dataDir.inbox(), config.inbox().settle(), clock);
    }

    /** A settled source: to done/ (or deleted, with retention 0), its checkpoint gone, noted in the ingested ledger. */
    private void finish(String name) throws IOException {
        Path from = dataDir.processing().resolve(name);
        long bytes = Files.size(from);
        if (config.done().retention().isZero()) {
            AtomicFiles.delete(from);
        } else {
            AtomicFiles.move(from, SafeNames.free(dataDir.done(), name, 0));
        }
        checkpoints.delete(Checkpoint.Kind.SOURCE, name);
        ingested.add(name, bytes, clock.instant());
    }
}
