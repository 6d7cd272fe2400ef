package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Inbox;
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.IngestedFiles;
import dev.ferry.state.RunOutputs;

/**
 * The source files of a run (SPEC §1 steps 2 and 4): those a killed run left in processing/, resumed from
 * their checkpoint, then the inbox, one file at a time in name order, claimed by an atomic rename into
 * processing/. A settled file moves to done/ (kept {@code ferry.done.retention}).
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
            Optional<Checkpoint> saved = checkpoints.read(Checkpoint.Kind.SOURCE, name);
            if (saved.isPresent()) {
                RunOutputs.cutBack(dataDir, saved.get());
            }
            run.failedKeys = FailedKeys.of(dataDir.failed(), DataDir.names(dataDir.failed()));
            Checkpoint start = saved.orElseGet(() -> Checkpoint.start(name, Checkpoint.Kind.SOURCE));
            if (!files.deliver(run, dataDir.processing().resolve(name), start)) {
                return false;
            }
            finish(name);
        }
        return !files.stop.requested() && run.fatal() == null;
    }

    /** Step 4: inbox files, one at a time in name order, claimed by an atomic rename into processing/. */
    boolean takeInbox(RunContext run) throws IOException, InterruptedException {
        Inbox inbox = inbox();
        while (!files.stop.requested() && run.fatal() == null) {
            Optional<Path> next = inbox.next();
            if (next.isEmpty()) {
                return true;
            }
            String name = next.get().getFileName().toString();
            Path claimed = dataDir.processing().resolve(name);
            if (Files.exists(claimed)) {
                throw new IOException("cannot claim inbox/" + name + ": processing/" + name + " exists");
            }
            // the checkpoint goes first, naming the failed/ and rejected/ sizes a crash would cut back to
            Checkpoint start = new Checkpoint(name, Checkpoint.Kind.SOURCE, 0, 0, List.of(),
                    run.outputs.failedLog().name(), run.outputs.failedLog().size(), run.outputs.rejectedLog().name(),
                    run.outputs.rejectedLog().size(), false);
            run.outputs.sync();
            checkpoints.write(start);
            AtomicFiles.move(next.get(), claimed);
            if (!files.deliver(run, claimed, start)) {
                return false;
            }
            finish(name);
        }
        return false;
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
            Path to = dataDir.done().resolve(name);
            for (int n = 1; Files.exists(to); n++) {
                to = dataDir.done().resolve(name + "." + n);
            }
            AtomicFiles.move(from, to);
        }
        checkpoints.delete(Checkpoint.Kind.SOURCE, name);
        ingested.add(name, bytes, clock.instant());
    }
}
