package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;

/** The folders of the data volume (SPEC §2). */
@ApplicationScoped
public class DataDir {

    private final Path root;

    @Inject
    public DataDir(FerryConfig config) {
        this(config.dataDir());
    }

    public DataDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path processing() {
        return root.resolve("processing");
    }

    public Path done() {
        return root.resolve("done");
    }

    public Path failed() {
        return root.resolve("failed");
    }

    public Path rejected() {
        return root.resolve("rejected");
    }

    public Path state() {
        return root.resolve("state");
    }

    public Path reports() {
        return root.resolve("reports");
    }

    /** Whole files set aside because they cannot be read as data, each with its reason ({@link Quarantine}). */
    public Path quarantine() {
        return root.resolve("quarantine");
    }

    /**
     * The files of a folder, by name, without hidden and {@code *.tmp} files (temporary files of an
     * atomic write); none when the folder does not exist.
     */
    public static List<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !name.endsWith(".tmp"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Creates the folders that are missing (with ferry's modes, {@link FileModes}); a data dir that is absent or
     * read-only is a configuration error.
     */
    public void prepare() {
        if (!Files.isDirectory(root)) {
            throw new ConfigurationError("ferry.data-dir", root + " is not a directory");
        }
        try {
            for (Path folder : new Path[] { inbox(), processing(), done(), failed(), rejected(), state(), reports(),
                    quarantine(), state().resolve("checkpoints") }) {
                Files.createDirectories(folder, FileModes.folder());
            }
        } catch (IOException e) {
            throw new ConfigurationError("ferry.data-dir", "cannot create the folders under " + root + ": " + e);
        }
        if (!Files.isWritable(state())) {
            throw new ConfigurationError("ferry.data-dir", root + " is not writable");
        }
    }
}
