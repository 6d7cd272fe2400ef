package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
import dev.ferry.state.ShardClaims;

/**
 * The source files of a run (steps 2 and 4 of docs/reference.md, One run): those a killed run left in processing/,
 * resumed from their checkpoint, then the inbox, one file at a time strictly in name order, claimed by an atomic rename
 * into processing/. The inbox is untrusted: an entry that is not a regular file goes to
 * quarantine/ unread, and a file still being written holds back the files named after it (per-key order). A
 * settled file moves to done/ (kept {@code ferry.done.retention}).
 * <p>
 * Shards ({@code ferry.shard.count} > 1) share processing/: each delivers its keys of every file there that it has
 * not finished, in name order, before it claims the next inbox file, so that each shard takes the files in the same
 * order; it joins a file under the claim id of its claim record, keeps its own checkpoint of it, and when done
 * leaves its done marker. The shard that finds every marker of the file there moves it to done/ ({@link ShardClaims}
 * says in which order, so that a crash at any point leaves a state the next run completes).
 */
@ApplicationScoped
class Sources {

    private static final Logger LOG = Logger.getLogger(Sources.class);

    private final DataDir dataDir;
    private final Checkpoints checkpoints;
    private final FileDeliveries files;
    private final IngestedFiles ingested;
    private final ShardClaims claims;
    private final FerryConfig config;
    private final Clock clock;
    /** The last run's inbox stopped at a file whose name is still in processing/ (shards only). */
    private volatile boolean held;
    /** The last run met a file in processing/ whose name its locale cannot write: what follows it waits. */
    private volatile boolean blocked;

    Sources(DataDir dataDir, Checkpoints checkpoints, FileDeliveries files, IngestedFiles ingested, ShardClaims claims,
            FerryConfig config, Clock clock) {
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.files = files;
        this.ingested = ingested;
        this.claims = claims;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Step 2: files a killed run left in processing/ continue from their checkpoint, in name order, up to one whose
     * name the locale cannot write ({@link FileDeliveries#unreachable}): that file and what comes after it in
     * ingestion order (the later files, the replay, the inbox) wait, or a record of them could overtake an older one of
     * its key in the file ({@link #blocked}).
     */
    boolean resume(RunContext run) throws IOException, InterruptedException {
        blocked = false;
        if (!dataDir.shard().single()) {
            claims.dropLeftovers(); // a killed run's temporary files in processing/
            return deliverClaimed(run);
        }
        for (Path listed : DataDir.files(dataDir.processing())) {
            if (unreachable(listed)) {
                return true;
            }
            String name = listed.getFileName().toString();
            Path path = dataDir.processing().resolve(name);
            Optional<Checkpoint> start = files.start(run, path, Checkpoint.Kind.SOURCE);
            if (start.isEmpty()) {
                continue;
            }
            RunOutputs.cutBack(dataDir, start.get());
            run.failedKeys = FailedKeys.of(dataDir.failedFiles());
            if (!deliver(run, path, start.get(), true)) {
                return false;
            }
        }
        return !files.stop.requested() && run.fatal() == null;
    }

    /**
     * A shard's files in processing/ (its keys of them), each once, in name order, listed again after each: other
     * shards claim files meanwhile. A file this shard finished, but whose move to done/ a crash cut short, is moved.
     *
     * @return false when the run stopped before they were settled
     */
    private boolean deliverClaimed(RunContext run) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>();
        while (!files.stop.requested() && run.fatal() == null) {
            String next = null;
            for (Path listed : DataDir.files(dataDir.processing())) {
                String name = listed.getFileName().toString();
                if (!seen.add(name)) {
                    continue;
                }
                if (unreachable(listed)) {
                    return true;
                }
                if (claims.doneBy(name, dataDir.shard())) {
                    checkpoints.delete(Checkpoint.Kind.SOURCE, name); // a crash came between the marker and this
                    finishShared(name);
                    continue;
                }
                next = name;
                break;
            }
            if (next == null) {
                return true;
            }
            Path path = dataDir.processing().resolve(next);
            Optional<Joined> joined = join(run, path);
            if (joined.isPresent() && !deliver(run, path, joined.get().start(), joined.get().resumed())) {
                return false;
            }
        }
        return false;
    }

    /** A file of processing/ whose name the locale cannot write: it and what follows it wait ({@link #blocked}). */
    private boolean unreachable(Path listed) {
        blocked = FileDeliveries.unreachable(listed, "processing/", "the files after it in processing/, the replay "
                + "of failed/ and the inbox wait too, so that no record overtakes an older one of its key in it");
        return blocked;
    }

    /**
     * Whether step 2 stopped at a file of processing/ whose name the locale cannot write: the replay and the inbox
     * wait for a run that can resume it.
     */
    boolean blocked() {
        return blocked;
    }

    /** Where a shard starts in a file, and whether an earlier run of it started the file (a killed one). */
    private record Joined(Checkpoint start, boolean resumed) {
    }

    /**
     * Where this shard starts in a file of processing/: its own checkpoint when it holds the file's claim (a killed
     * run's), else a new one under the claim record's id (written now, with the failed/ and rejected/ sizes a crash
     * would cut back to). A checkpoint of an earlier claim of the same name is dropped.
     *
     * @return empty when the file was set aside (its checkpoint is corrupt)
     */
    private Optional<Joined> join(RunContext run, Path path) throws IOException {
        String name = path.getFileName().toString();
        Optional<Checkpoint> own = files.start(run, path, Checkpoint.Kind.SOURCE);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> claim = claims.claimId(name);
        if (own.get().claimId() != null && claim.equals(Optional.of(own.get().claimId()))) {
            RunOutputs.cutBack(dataDir, own.get());
            run.failedKeys = FailedKeys.of(dataDir.failedFiles());
            return Optional.of(new Joined(own.get(), true));
        }
        return Optional.of(new Joined(InboxClaim.firstCheckpoint(checkpoints, run.outputs, name,
                claims.agree(name, run.nextClaimId())), false));
    }

    /**
     * Step 4: inbox files, one at a time strictly in name order, claimed by an atomic rename into processing/;
     * stops at the first one still being written.
     */
    boolean takeInbox(RunContext run) throws IOException, InterruptedException {
        held = false;
        Inbox inbox = inbox();
        while (!files.stop.requested() && run.fatal() == null) {
            if (!dataDir.shard().single() && !deliverClaimed(run)) {
                return false; // what other shards claimed meanwhile comes first: they deliver it now
            }
            if (blocked) {
                return true; // another shard claimed a file this locale cannot reach: the inbox waits behind it
            }
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
                    if (!dataDir.shard().single()) {
                        if (InboxClaim.claimShared(dataDir, claims, entry.path(), run.nextClaimId())
                                == InboxClaim.Shared.HELD) {
                            LOG.infof("inbox/%s waits: an earlier file of that name is in processing/, not finished "
                                    + "by every shard", entry.name());
                            held = true;
                            return true;
                        }
                        continue; // delivered from processing/ at the top of the loop
                    }
                    Optional<Checkpoint> start = InboxClaim.claim(dataDir, checkpoints, run.outputs, entry.path(),
                            run.nextClaimId());
                    if (start.isPresent()
                            && !deliver(run, dataDir.processing().resolve(start.get().file()), start.get(), false)) {
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
        String name = path.getFileName().toString();
        long readTo = reader.get().position();
        OptionalLong size = sizeUnlessVanished(run, path);
        if (size.isPresent() && size.getAsLong() > readTo && readTo > start.offset()) {
            // (a pass that read nothing: bytes no reader takes)
            // its producer wrote on after it settled (a pause longer than ferry.inbox.settle): done/ would hide the rest
            LOG.warnf("%s grew after it was read to its end: its producer still writes to it (write name.tmp and"
                    + " rename it when complete); what it appended is read now", name);
            Optional<Checkpoint> end = files.start(run, path, Checkpoint.Kind.SOURCE);
            return end.isEmpty() || deliver(run, path, end.get(), false);
        }
        if (dataDir.shard().single()) {
            if (size.isPresent()) {
                finish(name);
            } else {
                checkpoints.delete(Checkpoint.Kind.SOURCE, name);
            }
        } else { // a vanished file is found gone by finishShared, as when another shard moved it
            claims.markDone(name, start.claimId(), dataDir.shard());
            checkpoints.delete(Checkpoint.Kind.SOURCE, name);
            finishShared(name);
        }
        files.finished(run, start);
        return true;
    }

    /**
     * The size of a source whose records are settled; empty when someone deleted it from processing/ meanwhile. The
     * reader had it open, so it read what the file held to its end: nothing of it is lost, but it cannot go to done/.
     * Said as an ERROR and kept in {@link RunContext#vanished} (the run ends with exit 75); the run goes on.
     */
    private static OptionalLong sizeUnlessVanished(RunContext run, Path path) throws IOException {
        try {
            return OptionalLong.of(Files.size(path));
        } catch (NoSuchFileException deletedByHand) {
            String name = path.getFileName().toString();
            LOG.errorf("processing/%s vanished during its delivery (deleted by hand?): the records it held were read "
                    + "and settled, but it is not moved to done/; the run goes on, to end with exit 75", name);
            run.vanished.add(name);
            return OptionalLong.empty();
        }
    }

    /**
     * Whether source input is left for the next run: a file in processing/ (for a shard: one it has not finished;
     * the others' part is theirs), an inbox file held back for an earlier one of its name, or (after a stop) one
     * ready in the inbox.
     */
    boolean inputLeft(boolean stopped) throws IOException {
        for (String name : DataDir.names(dataDir.processing())) {
            if (dataDir.shard().single() || !claims.doneBy(name, dataDir.shard())) {
                return true;
            }
        }
        return held || (stopped && !inbox().ready().isEmpty());
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
        toDone(from);
        checkpoints.delete(Checkpoint.Kind.SOURCE, name);
        ingested.add(name, bytes, clock.instant());
    }

    /**
     * A file some shards finished: when every shard of the count has, it leaves processing/ — claim record, stale
     * markers, the file, its markers, in that order. Two shards may both get here: one moves the file, the other
     * finds it gone.
     */
    private void finishShared(String name) throws IOException {
        Optional<String> claim = claims.finishedClaim(name, dataDir.shard());
        if (claim.isEmpty()) {
            return; // a shard is still at it: the last one to finish moves the file
        }
        Path from = dataDir.processing().resolve(name);
        claims.forgetClaim(name);
        claims.forgetMarkers(name, claim.get(), true);
        try {
            long bytes = Files.size(from);
            if (toDone(from)) {
                ingested.add(name, bytes, clock.instant());
                LOG.infof("%s: every shard finished it%s", name, config.done().retention().isZero() ? "; deleted"
                        : "; moved to done/");
            }
        } catch (NoSuchFileException anotherShardMovedIt) {
            // the other shard that found every marker was first
        }
        claims.forgetMarkers(name, claim.get(), false);
    }

    /** Moves a settled file to done/ (deletes it, with retention 0); false when another process was first. */
    private boolean toDone(Path from) throws IOException {
        if (config.done().retention().isZero()) {
            return AtomicFiles.delete(from);
        }
        try {
            AtomicFiles.move(from, SafeNames.free(dataDir.done(), from.getFileName().toString(), 0));
            return true;
        } catch (NoSuchFileException gone) {
            if (Files.exists(dataDir.done())) {
                return false;
            }
            throw gone; // done/ itself is missing: the volume's problem
        }
    }
}
