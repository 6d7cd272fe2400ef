package dev.ferry.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a CSV byte stream into rows and fields in one pass. One state machine decides both where a row ends and what
 * its fields hold, so the two cannot disagree (they did when rows were cut by counting quotes per line and then
 * parsed by another parser: a bare quote in an unquoted field swallowed the rows after it). It works on bytes, so
 * it knows each row's byte offsets for checkpoints and can bound a row's memory, which a parser over decoded text
 * (Jackson CSV) can do neither of.
 * <p>
 * The dialect, RFC 4180 plus what producers really write:
 * <ul>
 * <li>{@code \n} or {@code \r\n} ends a line; a row is one line, or several when a quoted field holds line breaks.
 * A lone {@code \r} is data.</li>
 * <li>A {@code "} at the start of a field opens a quoted field: in it {@code ""} is one {@code "}, delimiters and
 * line breaks are data (kept as written, {@code \r\n} included), and a single {@code "} closes it.</li>
 * <li>After the closing quote, whatever comes before the next delimiter or line end is kept as it is:
 * {@code "ab"c} reads {@code abc}. Lenient, so that nothing is lost.</li>
 * <li>A {@code "} anywhere else is a literal character: {@code 5" pipe}, {@code a "nick" b}.</li>
 * <li>A byte order mark at the start of the file is dropped.</li>
 * <li>A line of only spaces, tabs and {@code \r} outside a quoted field is blank: it is skipped and counted (unless
 * it is longer than {@code maxBytes}: then it is a row that is too long).</li>
 * <li>A row longer than {@code maxBytes} (its line end not counted) — most often a quote that never closes — ends
 * at the end of the line on which it passed the limit, and comes back with a {@link #problem()}; so does a row still
 * inside a quote when the input ends. Either way reading goes on after it, and a row never holds more than
 * {@code maxBytes + 1} bytes of memory, whatever the input.</li>
 * </ul>
 * After {@link #next()} returns true the accessors describe that row, until the next call. Not thread-safe.
 */
final class CsvRowReader implements Closeable {

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_SEEN = 3; // in a quoted field, just after a '"': "" or the closing quote
    private static final int AFTER_QUOTE = 4; // after the closing quote, before the delimiter: kept literally
    private static final int SKIP_LINE = 5; // the row is too long: consume up to the end of the line

    private enum Problem { TOO_LONG, QUOTE_TOO_LONG, QUOTE_AT_END }

    private final InputStream in;
    private final byte delimiter;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long bufferOffset; // file offset of buffer[0]
    private boolean eof;
    private long lines; // lines consumed, those before the start included
    private long blankLines;

    // the current row: its bytes as read, the unescaped contents of its quoted fields, and where each field is
    private byte[] raw;
    private int rawLength;
    private byte[] values;
    private int valuesLength;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] inValues = new boolean[16];
    private int fieldCount;
    private long rowOffset;
    private long firstLine;
    private long lastLine;
    private boolean nonAscii;
    private Problem problem;
    private long quoteLine;

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer decoded = CharBuffer.allocate(0);

    /**
     * @param offset      file offset of the stream's first byte
     * @param linesBefore lines of the file before that offset
     */
    CsvRowReader(InputStream in, byte delimiter, int maxBytes, long offset, long linesBefore) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxBytes = maxBytes;
        this.raw = new byte[Math.min(1024, maxBytes + 1)];
        this.values = new byte[raw.length];
        this.bufferOffset = offset;
        this.lines = linesBefore;
    }

    /** Reads the next row, skipping blank lines. @return false at the end of the input */
    boolean next() throws IOException {
        while (true) {
            rowOffset = bufferOffset + position;
            firstLine = lines + 1;
            rawLength = 0;
            valuesLength = 0;
            fieldCount = 0;
            nonAscii = false;
            problem = null;
            int state = FIELD_START;
            int fieldStart = 0;
            boolean blank = true; // only spaces, tabs and '\r' so far, no delimiter, no quote
            boolean cr = false; // the last byte was a '\r' outside quotes: with a '\n' after it, it is the line end
            while (true) {
                if (position == limit && !fill()) {
                    if (bufferOffset + position == rowOffset) {
                        return false;
                    }
                    if (buffer[limit - 1] != '\n') { // the last byte read; a '\n' only when inside a quote
                        lines++; // a last line without '\n'
                    }
                    lastLine = lines;
                    if (state == SKIP_LINE) {
                        return true;
                    }
                    if (state == QUOTED) {
                        problem = Problem.QUOTE_AT_END;
                        return true;
                    }
                    if (rawLength > maxBytes) { // its last byte, a '\r', was no line end after all
                        problem = Problem.TOO_LONG;
                        return true;
                    }
                    if (blank && fieldCount == 0) {
                        blankLines++;
                        return false;
                    }
                    endField(state, fieldStart, 0);
                    return true;
                }
                byte b = buffer[position++];
                if (state == SKIP_LINE) {
                    if (b == '\n') {
                        lastLine = ++lines;
                        return true;
                    }
                    continue;
                }
                if (b == '\n' && state != QUOTED) {
                    lastLine = ++lines;
                    if (blank && fieldCount == 0) {
                        blankLines++;
                        break; // next row
                    }
                    endField(state, fieldStart, cr ? 1 : 0);
                    if (cr) {
                        rawLength--;
                    }
                    return true;
                }
                if (rawLength > maxBytes) { // the last byte kept, a '\r', was not the line end after all
                    problem = Problem.TOO_LONG;
                    state = SKIP_LINE;
                    continue;
                }
                if (rawLength == raw.length) {
                    grow();
                }
                raw[rawLength++] = b;
                nonAscii |= b < 0;
                cr = false;
                switch (state) {
                    case FIELD_START:
                        if (b == '"') {
                            state = QUOTED;
                            fieldStart = valuesLength;
                            quoteLine = lines + 1;
                            blank = false;
                        } else if (b == delimiter) {
                            endField(FIELD_START, fieldStart, 1);
                            fieldStart = rawLength;
                            blank = false;
                        } else {
                            state = UNQUOTED;
                            cr = b == '\r';
                            blank &= b == ' ' || b == '\t' || b == '\r';
                        }
                        break;
                    case UNQUOTED:
                        if (b == delimiter) {
                            endField(UNQUOTED, fieldStart, 1);
                            state = FIELD_START;
                            fieldStart = rawLength;
                            blank = false;
                        } else {
                            cr = b == '\r';
                            blank &= b == ' ' || b == '\t' || b == '\r';
                        }
                        break;
                    case QUOTED:
                        if (b == '"') {
                            state = QUOTE_SEEN;
                        } else {
                            values[valuesLength++] = b;
                            if (b == '\n') {
                                lines++; // a line ends inside the row
                            }
                        }
                        break;
                    case QUOTE_SEEN:
                        if (b == '"') {
                            values[valuesLength++] = b;
                            state = QUOTED;
                        } else if (b == delimiter) {
                            endField(QUOTE_SEEN, fieldStart, 0);
                            state = FIELD_START;
                            fieldStart = rawLength;
                        } else {
                            values[valuesLength++] = b;
                            state = AFTER_QUOTE;
                            cr = b == '\r';
                        }
                        break;
                    default: // AFTER_QUOTE
                        if (b == delimiter) {
                            endField(AFTER_QUOTE, fieldStart, 0);
                            state = FIELD_START;
                            fieldStart = rawLength;
                        } else {
                            values[valuesLength++] = b;
                            cr = b == '\r';
                        }
                        break;
                }
                if (rawLength > maxBytes && !cr) { // past the limit (a '\r' may still turn out to be the line end)
                    problem = state == QUOTED ? Problem.QUOTE_TOO_LONG : Problem.TOO_LONG;
                    if (state == QUOTED && b == '\n') {
                        lastLine = lines; // the limit was passed on the line this '\n' ended
                        return true;
                    }
                    state = SKIP_LINE;
                }
            }
        }
    }

    /**
     * Records the field that ends here, in raw or in values by how it was read, less its last {@code trim} bytes
     * (the delimiter in raw, or a '\r' that belongs to the line end).
     */
    private void endField(int state, int fieldStart, int trim) {
        if (fieldCount == starts.length) {
            int size = starts.length * 2;
            starts = Arrays.copyOf(starts, size);
            ends = Arrays.copyOf(ends, size);
            inValues = Arrays.copyOf(inValues, size);
        }
        boolean quoted = state == QUOTE_SEEN || state == AFTER_QUOTE;
        starts[fieldCount] = fieldStart;
        ends[fieldCount] = (quoted ? valuesLength : rawLength) - trim;
        inValues[fieldCount] = quoted;
        fieldCount++;
    }

    /** Room for more bytes of the row: a row never holds more than maxBytes + 1. */
    private void grow() {
        int size = (int) Math.min(maxBytes + 1L, raw.length * 2L);
        raw = Arrays.copyOf(raw, size);
        values = Arrays.copyOf(values, size);
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
        bufferOffset += limit;
        position = SourceFiles.bomLength(bufferOffset, buffer, read); // still part of line 1, as no data
        limit = read;
        return position < limit || fill();
    }

    int fieldCount() {
        return fieldCount;
    }

    /** Field {@code i} of the row; call only when {@link #validUtf8()}. */
    String field(int i) {
        byte[] bytes = inValues[i] ? values : raw;
        return new String(bytes, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
    }

    /** Whether the row's bytes are UTF-8 (checked only when one is not ASCII). */
    boolean validUtf8() {
        if (!nonAscii) {
            return true;
        }
        if (decoded.capacity() < rawLength) {
            decoded = CharBuffer.allocate(rawLength);
        }
        decoded.clear();
        utf8.reset();
        return !utf8.decode(ByteBuffer.wrap(raw, 0, rawLength), decoded, true).isError()
                && !utf8.flush(decoded).isError();
    }

    /** Why the row cannot be a record on its own account (too long, a quote that does not close), or null. */
    String problem() {
        if (problem == null) {
            return null;
        }
        return switch (problem) {
            case TOO_LONG -> "row is longer than ferry.record.max-bytes (" + maxBytes + " bytes)";
            case QUOTE_TOO_LONG -> "a quoted field opened on line " + quoteLine
                    + " is still open after ferry.record.max-bytes (" + maxBytes + " bytes): the row is cut at the"
                    + " end of line " + lastLine;
            case QUOTE_AT_END -> "a quoted field opened on line " + quoteLine + " never closes: the file ends in it";
        };
    }

    /** The row as read, for a reject: all of it, or an excerpt when it has a {@link #problem()}. */
    String text() {
        if (problem != null) {
            return new String(raw, 0, Math.min(rawLength, LineReader.EXCERPT_BYTES), StandardCharsets.UTF_8) + "…";
        }
        return new String(raw, 0, rawLength, StandardCharsets.UTF_8);
    }

    /** Byte offset where the row starts. */
    long offset() {
        return rowOffset;
    }

    long firstLine() {
        return firstLine;
    }

    long lastLine() {
        return lastLine;
    }

    /** Byte offset just after the last byte consumed. */
    long position() {
        return bufferOffset + position;
    }

    /** Lines consumed, those before the start included. */
    long lines() {
        return lines;
    }

    /** Blank lines skipped so far. */
    long blankLines() {
        return blankLines;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
