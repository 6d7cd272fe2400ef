package dev.ferry.ingest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens input that ferry does not trust: the inbox is untrusted input. Only a regular file is
 * opened, never through a symbolic link: a link could lead anywhere ({@code /proc/self/environ}, a secret
 * outside the data dir), and opening a FIFO blocks until some writer comes. The type is checked with
 * {@code lstat} before the open, the open itself refuses a link ({@code O_NOFOLLOW}), and a second
 * {@code lstat} after it must find the same regular file, so a swap while opening is refused too.
 */
public final class RegularFiles {

    /** The entry is not a regular file (or was replaced while being opened); it was not read. */
    public static final class NotRegularFileException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        NotRegularFileException(Path path, String reason) {
            super(path.toString(), null, reason);
        }
    }

    private RegularFiles() {
    }

    /** What an entry is when it is not a regular file ("a symbolic link", …); empty for a regular file. */
    public static Optional<String> notRegular(BasicFileAttributes entry) {
        if (entry.isRegularFile()) {
            return Optional.empty();
        }
        if (entry.isSymbolicLink()) {
            return Optional.of("a symbolic link");
        }
        if (entry.isDirectory()) {
            return Optional.of("a directory");
        }
        return Optional.of("a FIFO, socket or device");
    }

    /** The entry's attributes, the entry itself and never a link's target. */
    public static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Opens a regular file for reading.
     *
     * @throws NotRegularFileException when it is anything else, or was replaced while being opened
     */
    public static FileChannel open(Path path) throws IOException {
        BasicFileAttributes before = attributes(path);
        refuseIfNotRegular(path, before);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            BasicFileAttributes after = attributes(path);
            refuseIfNotRegular(path, after);
            if (!Objects.equals(before.fileKey(), after.fileKey())) {
                throw new NotRegularFileException(path, "replaced by another file while being opened");
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void refuseIfNotRegular(Path path, BasicFileAttributes entry) throws NotRegularFileException {
        Optional<String> what = notRegular(entry);
        if (what.isPresent()) {
            throw new NotRegularFileException(path, "not a regular file but " + what.get());
        }
    }
}
