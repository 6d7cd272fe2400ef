package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The producers' folder, untrusted input (docs/reference.md, Folders). A candidate is an entry with a supported
 * extension, not hidden, not {@code *.tmp}/{@code *.part}. Each is looked at with {@code lstat}, never through a link:
 * a regular file is taken once unchanged for {@code ferry.inbox.settle}; anything else (symbolic link, FIFO,
 * device, directory) is never opened and is reported for quarantine. Candidates are taken strictly in
 * lexicographic name order: one still being written holds back every file named after it, so a later file
 * never overtakes an earlier one (per-key order).
 */
public final class Inbox {

    /** What a candidate is now. */
    public enum Kind {
        /** A regular file, settled: to be claimed. */
        READY,
        /** A regular file changed within {@code ferry.inbox.settle}: still being written. */
        NOT_SETTLED,
        /** Not a regular file: never opened, to be quarantined. */
        NOT_A_REGULAR_FILE
    }

    /**
     * One candidate.
     *
     * @param type for {@link Kind#NOT_A_REGULAR_FILE}, what it is ("a symbolic link", …); else "a regular file"
     */
    public record Entry(Path path, Kind kind, String type) {
        public String name() {
            return path.getFileName().toString();
        }
    }

    private final Path folder;
    private final Duration settle;
    private final Clock clock;

    public Inbox(Path folder, Duration settle, Clock clock) {
        this.folder = folder;
        this.settle = settle;
        this.clock = clock;
    }

    /**
     * The first candidate by name, whatever its kind, or empty when there is none. A caller that finds it
     * {@link Kind#NOT_SETTLED} stops there: the files after it wait for it.
     */
    public Optional<Entry> next() throws IOException {
        return entries().stream().findFirst();
    }

    /** Every candidate, in name order; an entry that vanishes while being looked at is left out. */
    public List<Entry> entries() throws IOException {
        Instant settledBefore = clock.instant().minus(settle);
        List<Entry> entries = new ArrayList<>();
        for (Path path : candidates()) {
            BasicFileAttributes attributes;
            try {
                attributes = RegularFiles.attributes(path);
            } catch (NoSuchFileException vanished) {
                continue;
            }
            Optional<String> notRegular = RegularFiles.notRegular(attributes);
            if (notRegular.isPresent()) {
                entries.add(new Entry(path, Kind.NOT_A_REGULAR_FILE, notRegular.get()));
            } else {
                boolean settled = !attributes.lastModifiedTime().toInstant().isAfter(settledBefore);
                entries.add(new Entry(path, settled ? Kind.READY : Kind.NOT_SETTLED, "a regular file"));
            }
        }
        return entries;
    }

    /** Regular files ready to be taken, in name order (those behind one still being written included). */
    public List<Path> ready() throws IOException {
        return entries().stream().filter(entry -> entry.kind() == Kind.READY).map(Entry::path).toList();
    }

    /** Every candidate's name, taken or not yet, in name order. */
    public List<String> waiting() throws IOException {
        return candidates().stream().map(path -> path.getFileName().toString()).toList();
    }

    private List<Path> candidates() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(path -> takes(path.getFileName().toString())).sorted().toList();
        }
    }

    static boolean takes(String name) {
        return !name.startsWith(".") && !name.endsWith(".tmp") && !name.endsWith(".part")
                && SourceFormat.of(name).isPresent();
    }
}
