package dev.ferry.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The number of lines in a file, counted without parsing anything: the '\n' bytes, plus one for a last line
 * without one. The readers' accounting ({@link RecordReader}) must add up to it, so a parser that loses or
 * double-counts a line shows up in the run report instead of going unnoticed.
 */
public final class LineCount {

    private LineCount() {
    }

    /** Lines from byte {@code fromOffset} to the end of the file. */
    public static long of(Path path, long fromOffset) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            channel.position(fromOffset);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long lines = 0;
            byte last = '\n';
            byte[] bytes = buffer.array();
            for (int read = channel.read(buffer); read >= 0; read = channel.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        lines++;
                    }
                }
                if (read > 0) {
                    last = bytes[read - 1];
                }
                buffer.clear();
            }
            return last == '\n' ? lines : lines + 1;
        }
    }
}
