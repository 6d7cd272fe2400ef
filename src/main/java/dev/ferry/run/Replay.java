package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.RecordReader;
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.CorruptStateException;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.ReplayGeneration;
import dev.ferry.state.RunOutputs;
import dev.ferry.state.SafeNames;

/**
 * Step 3 of a run (docs/reference.md, One run): the failed/ files, oldest first, as one replay generation
 * ({@link ReplayGeneration}): the records that fail again go to one new failed/ file, the generation's tail,
 * and while the replay goes on a key found in the tail blocks that key's later entries. A failed/ file whose
 * checkpoint is corrupt or that cannot be read goes to quarantine/; when {@code state/replay.json} itself is
 * corrupt, the order it kept is lost and replaying without it could put an older record over a newer one, so
 * every failed/ file goes to quarantine/ with it, for an operator to move back.
 */
@ApplicationScoped
class Replay {

    private static final Logger LOG = Logger.getLogger(Replay.class);

    private final DataDir dataDir;
    private final FileDeliveries files;
    private final Duration share;

    Replay(DataDir dataDir, FileDeliveries files, FerryConfig config) {
        this.dataDir = dataDir;
        this.files = files;
        this.share = Duration.ofMillis(Math.round(config.run().maxDuration().toMillis() * config.replay().maxShare()));
    }

    /**
     * Replays the generation, for at most {@code ferry.replay.max-share} of the run (from {@code runStart}): the
     * records not reached by then wait in failed/ for the next run, and the keys of every failed/ file block theirs
     * in the inbox, so that old failures never starve new input and no newer version overtakes one still waiting.
     *
     * @return true when the run goes on to the inbox: the generation was replayed, set aside, or had its share
     */
    boolean replay(RunContext run, Instant runStart) throws IOException, InterruptedException {
        Optional<ReplayGeneration> resumed = resumed(run);
        ReplayGeneration generation;
        run.outputs.failedLog().rotate();
        // failed/ as listed, by the names a run under a UTF-8 locale knows (a generation's): a listed path reaches a
        // file whose name this locale cannot write
        Map<String, Path> listed = new HashMap<>();
        for (Path file : dataDir.failedFiles()) {
            listed.put(SafeNames.original(file), file);
        }
        if (resumed.isPresent()) {
            generation = resumed.get();
            for (String name : generation.files()) { // the file the replay stopped in: cut back what came after its checkpoint
                Path path = listed.get(name);
                if (path != null) {
                    Optional<Checkpoint> start = SafeNames.encodable(path.getFileName().toString())
                            ? files.start(run, path, Checkpoint.Kind.REPLAY) : Optional.empty(); // cut by a later run
                    if (start.isPresent()) {
                        RunOutputs.cutBack(dataDir, start.get());
                    }
                    break;
                }
            }
            run.outputs.failedLog().continueFile(generation.tail(), Long.MAX_VALUE);
        } else {
            List<String> waiting = dataDir.failedFiles().stream().map(SafeNames::original).toList();
            if (waiting.isEmpty()) {
                return true;
            }
            generation = new ReplayGeneration(waiting, run.outputs.failedLog().name());
            generation.write(dataDir.state());
        }
        run.failedKeys = FailedKeys.of(List.of(dataDir.failed().resolve(generation.tail())));
        boolean stoppedIn = resumed.isPresent(); // the first file left of a resumed generation: the one it stopped in
        for (String name : generation.files()) {
            Path path = listed.get(name);
            if (path == null) {
                files.checkpoints.delete(Checkpoint.Kind.REPLAY, name);
                continue;
            }
            if (FileDeliveries.unreachable(path, "failed/", "the failed/ files after it wait too, and the records of "
                    + "their keys follow them into failed/")) {
                return goOnNextRun(run);
            }
            boolean resumedFile = stoppedIn;
            stoppedIn = false;
            Optional<Checkpoint> start = files.start(run, path, Checkpoint.Kind.REPLAY);
            Optional<RecordReader> reader = start.isPresent() ? files.open(run, path, start.get()) : Optional.empty();
            if (reader.isEmpty()) {
                continue; // set aside
            }
            Instant readUntil = runStart.plus(share);
            if (!files.deliver(run, reader.get(), start.get(), readUntil, resumedFile)) {
                if (files.stop.requested() || run.fatal() != null || files.clock.instant().isBefore(readUntil)) {
                    return false;
                }
                LOG.infof("replay: its share of the run (ferry.replay.max-share, %s) is used; failed/ goes on in the "
                        + "next run, the inbox now", share);
                return goOnNextRun(run);
            }
            AtomicFiles.delete(path);
            files.checkpoints.delete(Checkpoint.Kind.REPLAY, name);
        }
        ReplayGeneration.delete(dataDir.state());
        // every failed/ file left (the tail; files made after the generation began) blocks its keys in the inbox
        run.failedKeys = FailedKeys.of(dataDir.failedFiles());
        return !files.stop.requested() && run.fatal() == null;
    }

    /**
     * The generation goes on in a later run, the inbox now. The generation's tail is cut back to the replay's
     * checkpoint when that run resumes it: what the inbox sends to failed/ from now on goes to a file of its own,
     * replayed after this generation, and every failed/ file blocks its keys.
     *
     * @return true: the run goes on to the inbox
     */
    private boolean goOnNextRun(RunContext run) throws IOException {
        run.outputs.failedLog().rotate();
        run.failedKeys = FailedKeys.of(dataDir.failedFiles());
        return true;
    }

    /**
     * The generation a stopped replay left; empty when there is none, or when it is corrupt: then the failed/
     * files go to quarantine/, and state/replay.json last, so that a crash in between leaves it to the next run.
     */
    private Optional<ReplayGeneration> resumed(RunContext run) throws IOException {
        try {
            return ReplayGeneration.read(dataDir.state());
        } catch (CorruptStateException corrupt) {
            String why = corrupt.file() + ", which keeps the order of the replay of failed/, is corrupt ("
                    + corrupt.problem() + ")";
            for (Path file : dataDir.failedFiles()) { // as listed: a name this locale cannot write is moved too
                files.setAside(run, file, Checkpoint.Kind.REPLAY,
                        why + ": replaying without it could put an older record over a newer one");
            }
            files.setAside(run, ReplayGeneration.path(dataDir.state()), why);
            return Optional.empty();
        }
    }
}
