package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a file for a reader: never through a link (the inbox is untrusted), positioned at the checkpointed offset.
 * Also knows the UTF-8 byte order mark, which some producers write before the first line and which is no data:
 * the readers step over it but count it in line 1, so that a file holding nothing else still has its one line.
 */
final class SourceFiles {

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private SourceFiles() {
    }

    /**
     * @return the file's bytes from {@code offset} on
     * @throws UnreadableFileException when this file, not the volume, cannot be opened: a link, a permission
     */
    static InputStream openAt(Path path, long offset) throws IOException, UnreadableFileException {
        FileChannel channel;
        try {
            channel = RegularFiles.open(path);
        } catch (NoSuchFileException vanished) {
            throw vanished; // gone since it was listed: the caller skips it
        } catch (FileSystemException e) { // not a regular file, a permission; other IOExceptions are the volume's
            throw new UnreadableFileException("cannot be opened: " + e.getReason(), e);
        }
        try {
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Bytes to step over at the start of the file's first read: the BOM's 3, or 0.
     *
     * @param streamOffset file offset of {@code bytes[0]}; a BOM only counts at the start of the file
     */
    static int bomLength(long streamOffset, byte[] bytes, int length) {
        return streamOffset == 0 && length >= BOM.length && bytes[0] == BOM[0] && bytes[1] == BOM[1]
                && bytes[2] == BOM[2] ? BOM.length : 0;
    }
}
