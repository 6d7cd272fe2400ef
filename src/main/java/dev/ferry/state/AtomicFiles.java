package dev.ferry.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Crash-safe state changes: write a temporary file, fsync it, rename it over the target, fsync the folder.
 * Files are created with ferry's modes ({@link FileModes}); a temporary name stays within the file system's
 * limit however long the target's name is.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * @throws IOException naming {@code target} (a full volume's write error names no file); the temporary file is
     *                     gone then, so that a failing volume is not left fuller
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path temp = createTemp(target);
        try {
            writeDurably(temp, content, target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException alsoFailing) {
                e.addSuppressed(alsoFailing);
            }
            throw e;
        }
        syncFolder(target.getParent());
    }

    /** Writes and fsyncs {@code content} to {@code file}, the temporary file of {@code target}. */
    private static void writeDurably(Path file, byte[] content, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (FileSystemException named) {
            throw named;
        } catch (IOException e) { // e.g. "No space left on device", with no file named
            FileSystemException named = new FileSystemException(target.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /**
     * A new, empty temporary file beside {@code target} ({@code .<name>.tmp}, or {@code .<hash>.tmp} when that
     * would be too long), for content that {@link #commit} then renames over the target. A leftover of a
     * crashed write is replaced, so the file always gets ferry's modes.
     */
    public static Path createTemp(Path target) throws IOException {
        return freshFile(tempOf(target));
    }

    /** {@code path} new and empty with ferry's modes: a leftover of a crashed writer is deleted first. */
    private static Path freshFile(Path path) throws IOException {
        Files.deleteIfExists(path);
        Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FileModes.file())
                .close();
        return path;
    }

    /** Where {@link #createTemp} puts the temporary file of {@code target}: what a crashed write leaves there. */
    static Path tempOf(Path target) {
        String name = target.getFileName().toString();
        String temp = "." + name + ".tmp";
        return target.resolveSibling(SafeNames.fits(temp) ? temp : "." + SafeNames.hash(name) + ".tmp");
    }

    /** Makes a finished temporary file durable and renames it over the target. */
    public static void commit(Path temp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncFolder(target.getParent());
    }

    /** Atomic rename, made durable. A symbolic link is moved as the link (rename(2) never follows one). */
    public static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            syncFolder(from.getParent());
        }
    }

    /**
     * Creates {@code target} with {@code content} unless it exists, atomically: a reader sees no file or the whole
     * file, and of two processes racing, exactly one creates it (a hard link from a durable temporary file, which
     * fails when the target exists, also on NFS).
     *
     * @param owner names the writer in the temporary file's name ({@link #exclusiveTemp}): one process at a time per
     *              owner, so that a temporary file a killed writer left is its own to replace or delete
     * @throws FileAlreadyExistsException when the target exists
     * @throws UnsupportedOperationException when the file system cannot make hard links
     */
    public static void createExclusive(Path target, byte[] content, String owner) throws IOException {
        Path temp = freshFile(exclusiveTemp(target, owner)); // replaces what a killed writer of the same owner left
        try {
            writeDurably(temp, content, target);
            Files.createLink(target, temp);
            syncFolder(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The temporary file {@link #createExclusive} writes {@code target}'s content to: {@code .<hash>.<owner>.tmp}. */
    static Path exclusiveTemp(Path target, String owner) {
        return target.resolveSibling("." + SafeNames.hash(target.getFileName().toString()) + "." + owner + ".tmp");
    }

    /** @return true when the file was there (and is now deleted durably) */
    public static boolean delete(Path path) throws IOException {
        if (Files.deleteIfExists(path)) {
            syncFolder(path.getParent());
            return true;
        }
        return false;
    }

    /** Makes renames and creations in a folder durable (a no-op where the platform cannot open folders). */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // not supported here; the rename itself is still atomic
        }
    }
}
