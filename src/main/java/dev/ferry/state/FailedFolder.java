package dev.ferry.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;

/** {@code failed/}: the records that ran out of retries, waiting for a replay. Reads only. */
@ApplicationScoped
public class FailedFolder {

    private static final Logger LOG = Logger.getLogger(FailedFolder.class);

    private final DataDir dataDir;
    private final Checkpoints checkpoints;

    public FailedFolder(DataDir dataDir, Checkpoints checkpoints) {
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
    }

    /**
     * What waits in failed/.
     *
     * @param records     records waiting
     * @param oldestSince when the oldest of them first failed, or null when none waits
     */
    public record Waiting(long records, Instant oldestSince) {
    }

    /** The number of records waiting in failed/ ({@link #waiting()}). */
    public long backlog() {
        return waiting().records();
    }

    /**
     * Records waiting in failed/: lines of its files, less what an unfinished replay already consumed, and when the
     * oldest of them first failed. Entries that are not regular files are not opened (the next replay sets them
     * aside).
     */
    public Waiting waiting() {
        long records = 0;
        Instant oldest = null;
        try {
            for (Path path : dataDir.failedFiles()) {
                if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long consumed = consumed(SafeNames.original(path));
                try (BufferedReader reader = StateLines.open(path); Stream<String> lines = reader.lines()) {
                    for (String line : (Iterable<String>) lines.filter(l -> !l.isBlank()).skip(consumed)::iterator) {
                        records++;
                        Instant since = firstFailed(line);
                        if (since != null && (oldest == null || since.isBefore(oldest))) {
                            oldest = since;
                        }
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot count failed/: %s", e.toString());
        }
        return new Waiting(records, oldest);
    }

    /** {@code firstFailedAt} of a failed/ line ({@code failedAt} for lines of older releases), or null. */
    private static Instant firstFailed(String line) {
        try {
            JsonNode entry = Json.MAPPER.readTree(line.getBytes(StateLines.BYTES));
            String since = entry.hasNonNull("firstFailedAt") ? entry.get("firstFailedAt").asText()
                    : entry.path("failedAt").asText("");
            return since.isEmpty() ? null : Instant.parse(since);
        } catch (IOException | RuntimeException unreadable) {
            return null; // a line cut short by a crash
        }
    }

    private long consumed(String name) throws IOException {
        try {
            return checkpoints.read(Checkpoint.Kind.REPLAY, name).map(Checkpoint::line).orElse(0L);
        } catch (CorruptStateException corrupt) {
            return 0; // the next replay sets the file aside
        }
    }
}
