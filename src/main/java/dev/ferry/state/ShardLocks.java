package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.core.Shard;

/**
 * The run locks of several shards, taken together without waiting ({@link RunLock} each): what lets one process
 * change what several shards' runs read, such as {@code ferry requeue} writing into every shard's failed/ folder.
 * All or none: when one lock is held elsewhere, those already taken are released and {@link #heldElsewhere} names
 * that shard. Locks a process holds already count as held (an OS file lock is the process's, so it cannot be taken
 * twice): leave the caller's own shard out.
 */
public final class ShardLocks implements AutoCloseable {

    private final List<RunLock> taken;
    private final Shard refusedBy;

    private ShardLocks(List<RunLock> taken, Shard refusedBy) {
        this.taken = taken;
        this.refusedBy = refusedBy;
    }

    /** Takes the lock of each of {@code shards}, in order, creating a shard's state folder if it has none yet. */
    public static ShardLocks tryAcquire(DataDir dataDir, List<Shard> shards) throws IOException {
        return tryAcquire(dataDir, shards, true);
    }

    /**
     * Takes the lock of each of {@code shards} that a run has used, creating nothing: a shard without a lock file
     * has no run that could hold it. For a look that must leave the volume as it was (a dry run).
     */
    public static ShardLocks tryAcquireUsed(DataDir dataDir, List<Shard> shards) throws IOException {
        return tryAcquire(dataDir, shards, false);
    }

    private static ShardLocks tryAcquire(DataDir dataDir, List<Shard> shards, boolean create) throws IOException {
        List<RunLock> taken = new ArrayList<>();
        try {
            for (Shard shard : shards) {
                if (!create && !Files.exists(RunLock.file(dataDir.state(shard)))) {
                    continue;
                }
                Files.createDirectories(dataDir.state(shard), FileModes.folder());
                Optional<RunLock> lock = RunLock.tryAcquire(dataDir.state(shard));
                if (lock.isEmpty()) {
                    release(taken);
                    return new ShardLocks(List.of(), shard);
                }
                taken.add(lock.get());
            }
        } catch (IOException | RuntimeException e) {
            try {
                release(taken);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return new ShardLocks(taken, null);
    }

    /** The shard whose lock another process holds: nothing was taken. Empty: every lock is taken. */
    public Optional<Shard> heldElsewhere() {
        return Optional.ofNullable(refusedBy);
    }

    @Override
    public void close() throws IOException {
        release(taken);
    }

    private static void release(List<RunLock> locks) throws IOException {
        IOException first = null;
        for (RunLock lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
