package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.ferry.core.Json;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code state/replay.json}: the failed/ files a replay works through (oldest first) and the one
 * new failed/ file that records failing again are appended to (the tail). Fixing both when the
 * replay starts keeps per-key order across crashes: a record in the tail is always older than
 * what is left of the files before it, so while the replay goes on, a key found in the tail
 * blocks that key's remaining entries.
 */
@RegisterForReflection
public record ReplayGeneration(List<String> files, String tail) {

    public static Optional<ReplayGeneration> read(Path stateDir) throws IOException {
        Path path = stateDir.resolve("replay.json");
        return Files.exists(path) ? Optional.of(Json.MAPPER.readValue(path.toFile(), ReplayGeneration.class))
                : Optional.empty();
    }

    public void write(Path stateDir) throws IOException {
        AtomicFiles.write(stateDir.resolve("replay.json"), Json.MAPPER.writeValueAsBytes(this));
    }

    public static void delete(Path stateDir) throws IOException {
        AtomicFiles.delete(stateDir.resolve("replay.json"));
    }
}
