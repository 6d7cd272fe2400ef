package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The producers' folder. A file is taken only once complete: a supported extension, not hidden, not
 * {@code *.tmp}/{@code *.part}, and unchanged for {@code ferry.inbox.settle}. Files are taken in
 * lexicographic name order.
 */
public final class Inbox {

    private final Path folder;
    private final Duration settle;
    private final Clock clock;

    public Inbox(Path folder, Duration settle, Clock clock) {
        this.folder = folder;
        this.settle = settle;
        this.clock = clock;
    }

    /** The first file ready to be taken, by name. */
    public Optional<Path> next() throws IOException {
        return ready().stream().findFirst();
    }

    /** Files ready to be taken, in name order. */
    public List<Path> ready() throws IOException {
        Instant settledBefore = clock.instant().minus(settle);
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(path -> takes(path.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .filter(path -> settledBefore(path, settledBefore))
                    .sorted()
                    .toList();
        }
    }

    /** Every file name waiting in the inbox, taken or not yet, in name order. */
    public List<String> waiting() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).filter(Inbox::takes).sorted().toList();
        }
    }

    static boolean takes(String name) {
        return !name.startsWith(".") && !name.endsWith(".tmp") && !name.endsWith(".part")
                && SourceFormat.of(name).isPresent();
    }

    private static boolean settledBefore(Path path, Instant limit) {
        try {
            return !Files.getLastModifiedTime(path).toInstant().isAfter(limit);
        } catch (IOException vanished) {
            return false;
        }
    }
}
