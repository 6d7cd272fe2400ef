package dev.ferry.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a file for a reader: never through a link (the inbox is untrusted), positioned at the checkpointed
 * offset, and at offset 0 past a UTF-8 byte order mark, which some producers write and which is no data.
 */
final class SourceFiles {

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private SourceFiles() {
    }

    /**
     * @return the channel, positioned where reading starts ({@code channel.position()})
     * @throws UnreadableFileException when this file, not the volume, cannot be opened: a link, a permission
     */
    static FileChannel openAt(Path path, long offset) throws IOException, UnreadableFileException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) { // AccessDenied and the like; other IOExceptions are the volume's
            throw new UnreadableFileException("cannot be opened: " + e.getReason(), e);
        } catch (IOException e) {
            if (Files.isSymbolicLink(path)) { // ELOOP, which the JDK reports as a plain IOException
                throw new UnreadableFileException("cannot be opened: it is a symbolic link, never followed", e);
            }
            throw e;
        }
        try {
            channel.position(offset == 0 && startsWithBom(channel) ? BOM.length : offset);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static boolean startsWithBom(FileChannel channel) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(BOM.length);
        while (start.hasRemaining() && channel.read(start, start.position()) > 0) {
            // a short read: ask for the rest
        }
        return !start.hasRemaining() && start.array()[0] == BOM[0] && start.array()[1] == BOM[1]
                && start.array()[2] == BOM[2];
    }
}
