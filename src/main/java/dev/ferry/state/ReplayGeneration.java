package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

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

    private static final String FILE = "state/replay.json";

    /**
     * @return the generation a replay is working through, empty when none is
     * @throws CorruptStateException when {@code state/replay.json} does not hold one
     */
    public static Optional<ReplayGeneration> read(Path stateDir) throws IOException {
        Path path = path(stateDir);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        ReplayGeneration generation;
        try {
            generation = Json.MAPPER.readValue(path.toFile(), ReplayGeneration.class);
        } catch (JsonProcessingException e) {
            throw new CorruptStateException(FILE, e.getOriginalMessage());
        }
        if (generation == null || generation.files() == null || generation.tail() == null
                || !generation.files().stream().allMatch(SafeNames::plain) || !SafeNames.plain(generation.tail())) {
            throw new CorruptStateException(FILE, "it does not name the failed/ files and the tail by plain names");
        }
        return Optional.of(generation);
    }

    /** {@code state/replay.json}. */
    public static Path path(Path stateDir) {
        return stateDir.resolve("replay.json");
    }

    public void write(Path stateDir) throws IOException {
        AtomicFiles.write(path(stateDir), Json.MAPPER.writeValueAsBytes(this));
    }

    public static void delete(Path stateDir) throws IOException {
        AtomicFiles.delete(path(stateDir));
    }
}
