package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.ingest.RecordReader;
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.CorruptStateException;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.ReplayGeneration;
import dev.ferry.state.RunOutputs;

/**
 * Step 3 of a run (SPEC §1): the failed/ files, oldest first, as one replay generation
 * ({@link ReplayGeneration}): the records that fail again go to one new failed/ file, the generation's tail,
 * and while the replay goes on a key found in the tail blocks that key's later entries. A failed/ file whose
 * checkpoint is corrupt or that cannot be read goes to quarantine/; when {@code state/replay.json} itself is
 * corrupt, the order it kept is lost and replaying without it could put an older record over a newer one, so
 * every failed/ file goes to quarantine/ with it, for an operator to move back (SPEC §2).
 */
@ApplicationScoped
class Replay {

    private final DataDir dataDir;
    private final FileDeliveries files;

    Replay(DataDir dataDir, FileDeliveries files) {
        this.dataDir = dataDir;
        this.files = files;
    }

    /** @return true when every failed/ file of the generation was replayed or set aside */
    boolean replay(RunContext run) throws IOException, InterruptedException {
        Optional<ReplayGeneration> resumed = resumed(run);
        ReplayGeneration generation;
        run.outputs.failedLog().rotate();
        if (resumed.isPresent()) {
            generation = resumed.get();
            for (String name : generation.files()) { // the file the replay stopped in: cut back what came after its checkpoint
                Path path = dataDir.failed().resolve(name);
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    Optional<Checkpoint> start = files.start(run, path, Checkpoint.Kind.REPLAY);
                    if (start.isPresent()) {
                        RunOutputs.cutBack(dataDir, start.get());
                    }
                    break;
                }
            }
            run.outputs.failedLog().continueFile(generation.tail(), Long.MAX_VALUE);
        } else {
            List<String> waiting = DataDir.names(dataDir.failed());
            if (waiting.isEmpty()) {
                return true;
            }
            generation = new ReplayGeneration(waiting, run.outputs.failedLog().name());
            generation.write(dataDir.state());
        }
        run.failedKeys = FailedKeys.of(dataDir.failed(), List.of(generation.tail()));
        for (String name : generation.files()) {
            Path path = dataDir.failed().resolve(name);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                files.checkpoints.delete(Checkpoint.Kind.REPLAY, name);
                continue;
            }
            Optional<Checkpoint> start = files.start(run, path, Checkpoint.Kind.REPLAY);
            Optional<RecordReader> reader = start.isPresent() ? files.open(run, path, start.get()) : Optional.empty();
            if (reader.isEmpty()) {
                continue; // set aside
            }
            if (!files.deliver(run, reader.get(), start.get())) {
                return false;
            }
            AtomicFiles.delete(path);
            files.checkpoints.delete(Checkpoint.Kind.REPLAY, name);
        }
        ReplayGeneration.delete(dataDir.state());
        return !files.stop.requested() && run.fatal() == null;
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
            for (String name : DataDir.names(dataDir.failed())) {
                files.setAside(run, dataDir.failed().resolve(name), Checkpoint.Kind.REPLAY,
                        why + ": replaying without it could put an older record over a newer one");
            }
            files.setAside(run, ReplayGeneration.path(dataDir.state()), why);
            return Optional.empty();
        }
    }
}
