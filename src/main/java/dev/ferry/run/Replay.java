package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.ReplayGeneration;
import dev.ferry.state.RunOutputs;

/**
 * Step 3 of a run (SPEC §1): the failed/ files, oldest first, as one replay generation
 * ({@link ReplayGeneration}): the records that fail again go to one new failed/ file, the generation's tail,
 * and while the replay goes on a key found in the tail blocks that key's later entries.
 */
@ApplicationScoped
class Replay {

    private final DataDir dataDir;
    private final Checkpoints checkpoints;
    private final FileDeliveries files;

    Replay(DataDir dataDir, Checkpoints checkpoints, FileDeliveries files) {
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.files = files;
    }

    /** @return true when every failed/ file of the generation was replayed */
    boolean replay(RunContext run) throws IOException, InterruptedException {
        Optional<ReplayGeneration> resumed = ReplayGeneration.read(dataDir.state());
        ReplayGeneration generation;
        run.outputs.failedLog().rotate();
        if (resumed.isPresent()) {
            generation = resumed.get();
            for (String name : generation.files()) { // the file the replay stopped in: cut back what came after its checkpoint
                if (Files.exists(dataDir.failed().resolve(name))) {
                    Optional<Checkpoint> saved = checkpoints.read(Checkpoint.Kind.REPLAY, name);
                    if (saved.isPresent()) {
                        RunOutputs.cutBack(dataDir, saved.get());
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
            if (!Files.exists(path)) {
                checkpoints.delete(Checkpoint.Kind.REPLAY, name);
                continue;
            }
            Checkpoint start = checkpoints.read(Checkpoint.Kind.REPLAY, name)
                    .orElseGet(() -> Checkpoint.start(name, Checkpoint.Kind.REPLAY));
            if (!files.deliver(run, path, start)) {
                return false;
            }
            AtomicFiles.delete(path);
            checkpoints.delete(Checkpoint.Kind.REPLAY, name);
        }
        ReplayGeneration.delete(dataDir.state());
        return !files.stop.requested() && run.fatal() == null;
    }
}
