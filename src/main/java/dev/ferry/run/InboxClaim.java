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
import dev.ferry.state.SafeNames;
import dev.ferry.state.ShardClaims;

/**
 * Claims an inbox file for a run (step 4 of docs/reference.md, One run): its checkpoint first, naming the failed/ and
 * rejected/ sizes a crash would cut back to, then the atomic rename into processing/, under its name as the JVM can
 * write it ({@link SafeNames#writable}). A file that vanished since the inbox was listed is skipped, and its
 * checkpoint deleted again.
 * <p>
 * Shards ({@code ferry.shard.count} > 1) race for the same inbox files: the first to claim a file records the claim
 * id all of them deliver it under ({@link ShardClaims#agree}), then renames it; a shard that loses the rename finds
 * the file in processing/ and delivers its keys of it there like the winner.
 */
final class InboxClaim {

    private static final Logger LOG = Logger.getLogger(InboxClaim.class);

    /** What became of a shard's claim of an inbox file. */
    enum Shared {
        /** The file is in processing/, claimed by this shard or another one. */
        IN_PROCESSING,
        /** A file of the same name is still in processing/, not finished by every shard: this one waits. */
        HELD,
        /** The file vanished before it could be claimed. */
        VANISHED
    }

    private InboxClaim() {
    }

    /**
     * @param claimId the new claim's id, kept in the checkpoint for the life of the claim
     * @return the claimed file's first checkpoint; empty when the file vanished before the claim
     */
    static Optional<Checkpoint> claim(DataDir dataDir, Checkpoints checkpoints, RunOutputs outputs, Path inboxFile,
            String claimId) throws IOException {
        String name = claimedName(inboxFile);
        Path claimed = dataDir.processing().resolve(name);
        if (Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot claim inbox/" + name + ": processing/" + name + " exists");
        }
        Checkpoint start = firstCheckpoint(checkpoints, outputs, name, claimId);
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

    /** The name a claimed file has in processing/: its own, unless the locale cannot write it (said in the log). */
    private static String claimedName(Path inboxFile) {
        String name = inboxFile.getFileName().toString();
        String writable = SafeNames.writable(name);
        if (!writable.equals(name)) {
            LOG.infof("inbox/%s is claimed as %s: the JVM's file name encoding (sun.jnu.encoding %s, from the locale)"
                    + " cannot write its name; run with a UTF-8 locale (LANG=C.UTF-8) to keep it", name, writable,
                    System.getProperty("sun.jnu.encoding"));
        }
        return writable;
    }

    /**
     * Writes a claimed file's first checkpoint: its claim id, and the sizes of the failed/ and rejected/ files the run
     * appends to, which a crash would cut them back to.
     */
    static Checkpoint firstCheckpoint(Checkpoints checkpoints, RunOutputs outputs, String name, String claimId)
            throws IOException {
        Checkpoint start = new Checkpoint(name, Checkpoint.Kind.SOURCE, 0, 0, List.of(), outputs.failedLog().name(),
                outputs.failedLog().size(), outputs.rejectedLog().name(), outputs.rejectedLog().size(), false, claimId,
                null);
        outputs.sync();
        checkpoints.write(start);
        return start;
    }

    /**
     * A shard's claim: agree on the claim id (the first shard's, or {@code claimId} when this one is first), then
     * the rename into processing/, which only one shard wins. The shard's own checkpoint is written when it starts
     * delivering the file ({@link Sources}), from the claim record.
     */
    static Shared claimShared(DataDir dataDir, ShardClaims claims, Path inboxFile, String claimId) throws IOException {
        String name = claimedName(inboxFile);
        Path claimed = dataDir.processing().resolve(name);
        if (Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
            return Shared.HELD; // never rename over it: its shards are not all done
        }
        claims.agree(name, claimId);
        try {
            AtomicFiles.move(inboxFile, claimed);
        } catch (NoSuchFileException e) {
            if (Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
                return Shared.IN_PROCESSING; // another shard renamed it first
            }
            if (Files.exists(inboxFile, LinkOption.NOFOLLOW_LINKS)) {
                throw e; // processing/ itself is missing: the volume's problem
            }
            LOG.infof("inbox/%s vanished before it could be claimed; skipped", name);
            return Shared.VANISHED; // its claim record names no file: the next claim of the name takes its id over
        }
        return Shared.IN_PROCESSING;
    }
}
