package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.core.Json;

/**
 * Checkpoints in {@code state/checkpoints/}, one per file being processed, each written atomically. A
 * checkpoint's name derives from a hash of the file's name ({@code source-<hash>.json}), so a file name of any
 * length or character set works; the name itself is inside the checkpoint. A checkpoint an earlier version
 * wrote under the file's name ({@code source-<name>.json}) is still read, and the next write replaces it.
 */
@ApplicationScoped
public class Checkpoints {

    private final DataDir dataDir;

    public Checkpoints(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    /** The checkpoint file's name for a file: {@code <kind>-<32 hex of SHA-256(name)>.json}. */
    public static String fileName(Checkpoint.Kind kind, String file) {
        return prefix(kind) + SafeNames.hash(file) + ".json";
    }

    /**
     * @return the file's checkpoint, empty when it has none
     * @throws CorruptStateException when its checkpoint does not hold a checkpoint of that file
     */
    public Optional<Checkpoint> read(Checkpoint.Kind kind, String file) throws IOException {
        Path path = path(kind, file);
        if (!Files.exists(path)) {
            Optional<Path> legacy = legacy(kind, file).filter(Files::exists);
            if (legacy.isEmpty()) {
                return Optional.empty();
            }
            path = legacy.get();
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Json.MAPPER.readValue(path.toFile(), Checkpoint.class);
        } catch (JsonProcessingException e) {
            throw corrupt(path, e.getOriginalMessage());
        }
        if (checkpoint == null || !file.equals(checkpoint.file()) || checkpoint.kind() != kind
                || checkpoint.offset() < 0 || checkpoint.line() < 0 || checkpoint.settledAhead() == null
                || !plainOrNone(checkpoint.failedFile()) || !plainOrNone(checkpoint.rejectedFile())
                || checkpoint.snapshot() != null && (checkpoint.snapshot().phase() == null
                        || checkpoint.snapshot().holds() < 0)) {
            throw corrupt(path, "it is not a " + kind.name().toLowerCase() + " checkpoint of that file");
        }
        return Optional.of(checkpoint);
    }

    public void write(Checkpoint checkpoint) throws IOException {
        AtomicFiles.write(path(checkpoint.kind(), checkpoint.file()), Json.MAPPER.writeValueAsBytes(checkpoint));
        deleteLegacy(checkpoint.kind(), checkpoint.file());
    }

    public void delete(Checkpoint.Kind kind, String file) throws IOException {
        AtomicFiles.delete(path(kind, file));
        deleteLegacy(kind, file);
    }

    private void deleteLegacy(Checkpoint.Kind kind, String file) throws IOException {
        Optional<Path> legacy = legacy(kind, file);
        if (legacy.isPresent()) {
            AtomicFiles.delete(legacy.get());
        }
    }

    private Path folder() {
        return dataDir.state().resolve("checkpoints");
    }

    private Path path(Checkpoint.Kind kind, String file) {
        return folder().resolve(fileName(kind, file));
    }

    /**
     * Where a version before hashed names kept the checkpoint; none for a name too long to have had one, or one the
     * locale cannot turn into a path.
     */
    private Optional<Path> legacy(Checkpoint.Kind kind, String file) {
        String name = prefix(kind) + file + ".json";
        return SafeNames.fits(name) && SafeNames.encodable(name) ? Optional.of(folder().resolve(name))
                : Optional.empty();
    }

    private CorruptStateException corrupt(Path path, String problem) {
        return new CorruptStateException(dataDir.root().relativize(path).toString(), problem);
    }

    /** The failed/ and rejected/ files a checkpoint names are cut back on resume: never a path elsewhere. */
    private static boolean plainOrNone(String name) {
        return name == null || SafeNames.plain(name);
    }

    private static String prefix(Checkpoint.Kind kind) {
        return kind.name().toLowerCase() + "-";
    }
}
