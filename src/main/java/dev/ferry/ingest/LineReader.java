package dev.ferry.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ('\n', or "\r\n"), remembering where each starts, so that a checkpoint can name
 * a byte offset and a reject can name a line number. A byte order mark at the start of the file is dropped. Memory stays bounded: a line longer than {@code maxBytes}
 * (its terminator not counted) is consumed but only its first bytes are kept, as an excerpt.
 * Not thread-safe.
 */
final class LineReader implements Closeable {

    static final int EXCERPT_BYTES = 256;

    /** One line without its terminator; an excerpt of it when {@code tooLong}. */
    record Line(byte[] bytes, long offset, long number, boolean tooLong, boolean terminated) {
        boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean eof;
    private long offset;
    private long lineNumber;
    private byte[] line = new byte[256];
    private int lineLength;

    /** @param offset byte offset of the stream's first byte; @param linesBefore lines already behind it */
    LineReader(InputStream in, int maxBytes, long offset, long linesBefore) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.offset = offset;
        this.lineNumber = linesBefore;
    }

    /** @return the next line, or null at the end of the stream */
    Line next() throws IOException {
        long start = offset;
        lineLength = 0;
        long length = 0;
        while (true) {
            if (position == limit && !fill()) {
                if (offset == start) {
                    return null;
                }
                return finish(start, length, false);
            }
            int newline = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int chunkEnd = newline >= 0 ? newline : limit;
            keep(position, chunkEnd - position);
            length += chunkEnd - position;
            offset += chunkEnd - position;
            position = chunkEnd;
            if (newline >= 0) {
                position++;
                offset++;
                return finish(start, length, true);
            }
        }
    }

    private Line finish(long start, long length, boolean terminated) {
        lineNumber++;
        // all of a line up to maxBytes + 1 bytes is kept, so its last byte is known whenever it could fit
        boolean crlf = terminated && lineLength == length && lineLength > 0 && line[lineLength - 1] == '\r';
        long content = crlf ? length - 1 : length;
        if (content > maxBytes) {
            return new Line(Arrays.copyOf(line, Math.min(lineLength, EXCERPT_BYTES)), start, lineNumber, true,
                    terminated);
        }
        return new Line(Arrays.copyOf(line, (int) content), start, lineNumber, false, terminated);
    }

    /** Keeps at most maxBytes + 1 bytes of a line: enough to tell that it is too long. */
    private void keep(int from, int count) {
        int take = Math.max(0, Math.min(count, maxBytes + 1 - lineLength));
        if (lineLength + take > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + take, line.length * 2));
        }
        System.arraycopy(buffer, from, line, lineLength, take);
        lineLength += take;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = read;
        if (offset == 0) {
            position = SourceFiles.bomLength(offset, buffer, read); // still part of line 1, as no data
            offset = position;
        }
        return true;
    }

    /** Byte offset just after the last line returned. */
    long offset() {
        return offset;
    }

    /** Number of the last line returned. */
    long lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
