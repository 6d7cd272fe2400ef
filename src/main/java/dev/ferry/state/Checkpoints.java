package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.Json;

/** Checkpoints in {@code state/checkpoints/}, one per file being processed, each written atomically. */
@ApplicationScoped
public class Checkpoints {

    private final DataDir dataDir;

    public Checkpoints(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    public Optional<Checkpoint> read(Checkpoint.Kind kind, String file) throws IOException {
        Path path = path(kind, file);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        return Optional.of(Json.MAPPER.readValue(path.toFile(), Checkpoint.class));
    }

    public void write(Checkpoint checkpoint) throws IOException {
        AtomicFiles.write(path(checkpoint.kind(), checkpoint.file()), Json.MAPPER.writeValueAsBytes(checkpoint));
    }

    public void delete(Checkpoint.Kind kind, String file) throws IOException {
        AtomicFiles.delete(path(kind, file));
    }

    private Path path(Checkpoint.Kind kind, String file) {
        return dataDir.state().resolve("checkpoints").resolve(kind.name().toLowerCase() + "-" + file + ".json");
    }
}
