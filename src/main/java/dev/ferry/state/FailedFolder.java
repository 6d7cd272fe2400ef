package dev.ferry.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

    /** Records waiting in failed/: lines of its files, less what an unfinished replay already consumed. */
    public long backlog() {
        long records = 0;
        try {
            for (String name : DataDir.names(dataDir.failed())) {
                long consumed = checkpoints.read(Checkpoint.Kind.REPLAY, name).map(Checkpoint::line).orElse(0L);
                try (Stream<String> lines = Files.lines(dataDir.failed().resolve(name))) {
                    records += lines.filter(line -> !line.isBlank()).count() - consumed;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot count failed/: %s", e.toString());
        }
        return Math.max(0, records);
    }
}
