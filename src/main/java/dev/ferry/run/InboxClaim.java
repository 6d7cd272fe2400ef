package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.RunOutputs;

/**
 * Claims an inbox file for a run (SPEC §1 step 4): its checkpoint first, naming the failed/ and rejected/
 * sizes a crash would cut back to, then the atomic rename into processing/. A file that vanished since the
 * inbox was listed is skipped, and its checkpoint deleted again (SPEC §2).
 */
final class InboxClaim {

    private static final Logger LOG = Logger.getLogger(InboxClaim.class);

    private InboxClaim() {
    }

    /**
     * @param claimId the new claim's id, kept in the checkpoint for the life of the claim
     * @return the claimed file's first checkpoint; empty when the file vanished before the claim
     */
    static Optional<Checkpoint> claim(DataDir dataDir, Checkpoints checkpoints, RunOutputs outputs, Path inboxFile,
            String claimId) throws IOException {
        String name = inboxFile.getFileName().toString();
        Path claimed = dataDir.processing().resolve(name);
        if (Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot claim inbox/" + name + ": processing/" + name + " exists");
        }
        Checkpoint start = new Checkpoint(name, Checkpoint.Kind.SOURCE, 0, 0, List.of(), outputs.failedLog().name(),
                outputs.failedLog().size(), outputs.rejectedLog().name(), outputs.rejectedLog().size(), false, claimId,
                null);
        outputs.sync();
        checkpoints.write(start);
        try {
            AtomicFiles.move(inboxFile, claimed);
        } catch (NoSuchFileException e) {
            if (Files.exists(inboxFile, LinkOption.NOFOLLOW_LINKS)) {
                throw e; // processing/ itself is missing: the volume's problem
            }
            checkpoints.delete(Checkpoint.Kind.SOURCE, name);
            LOG.infof("inbox/%s vanished before it could be claimed; skipped", name);
            return Optional.empty();
        }
        return Optional.of(start);
    }
}
