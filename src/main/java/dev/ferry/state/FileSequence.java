package dev.ferry.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.Json;

/**
 * Names the files a run appends to in failed/ and rejected/ ({@code g<number>-<run id>.ndjson}) from a counter that
 * only grows, kept in {@code state/sequence.json} and made durable before a name is used: replays take failed/
 * files in name order, and that order must be the order the files were made in, whatever the clocks of the nodes
 * that made them (run ids begin with the time). Names of releases before this one (digits first) sort before these.
 * Used under the run lock. Thread-safe.
 */
@ApplicationScoped
public class FileSequence {

    private static final String FILE = "sequence.json";

    private final DataDir dataDir;

    public FileSequence(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    /** A new file name for {@code runId}, never given before. */
    public synchronized String nextName(String runId) {
        Path path = dataDir.state().resolve(FILE);
        try {
            long next = Files.exists(path) ? Json.MAPPER.readTree(path.toFile()).path("next").asLong(0) : 0;
            AtomicFiles.write(path, Json.MAPPER.writeValueAsBytes(Map.of("next", next + 1)));
            return String.format("g%012d-%s.ndjson", next, runId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state/" + FILE, e);
        }
    }
}
