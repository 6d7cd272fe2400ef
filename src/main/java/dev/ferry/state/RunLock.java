package dev.ferry.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/** The run lock, {@code state/ferry.lock}: an OS file lock, released by the OS if the process dies. */
public final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file in {@code stateDir}, which the first run there creates. */
    static Path file(Path stateDir) {
        return stateDir.resolve("ferry.lock");
    }

    /** @return the lock, or empty when another run holds it */
    public static Optional<RunLock> tryAcquire(Path stateDir) throws IOException {
        FileChannel channel = FileChannel.open(file(stateDir),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), FileModes.file());
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new RunLock(channel, lock));
        } catch (OverlappingFileLockException e) {
            channel.close();
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
