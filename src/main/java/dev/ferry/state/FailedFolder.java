package dev.ferry.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

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
     * Records waiting in failed/: lines of its files, less what an unfinished replay already consumed. Entries
     * that are not regular files are not opened (the next replay sets them aside).
     */
    public long backlog() {
        long records = 0;
        try {
            for (String name : DataDir.names(dataDir.failed())) {
                Path path = dataDir.failed().resolve(name);
                if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long consumed = consumed(name);
                try (Stream<String> lines = Files.lines(path)) {
                    records += lines.filter(line -> !line.isBlank()).count() - consumed;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot count failed/: %s", e.toString());
        }
        return Math.max(0, records);
    }

    private long consumed(String name) throws IOException {
        try {
            return checkpoints.read(Checkpoint.Kind.REPLAY, name).map(Checkpoint::line).orElse(0L);
        } catch (CorruptStateException corrupt) {
            return 0; // the next replay sets the file aside
        }
    }
}
