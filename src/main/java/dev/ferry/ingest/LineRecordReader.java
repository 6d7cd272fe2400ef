package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the line-based formats share: positioned opening, strict UTF-8, the too-long check, the key. */
abstract class LineRecordReader implements RecordReader {

    protected final String file;
    protected final String keyField;
    protected final int maxBytes;
    protected LineReader lines;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    LineRecordReader(String file, String keyField, int maxBytes) {
        this.file = file;
        this.keyField = keyField;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens {@code path} with its first unread byte at {@code offset}, {@code linesBefore} lines already behind;
     * only a regular file, never through a link ({@link RegularFiles#open}).
     */
    static InputStream openAt(Path path, long offset) throws IOException {
        FileChannel channel = RegularFiles.open(path);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    /** The line as text, or a reject when it is too long or not UTF-8. */
    protected String text(LineReader.Line line) throws RecordParseException {
        if (line.tooLong()) {
            throw reject(line, lenient(line.bytes()) + "…",
                    "line is longer than ferry.record.max-bytes (" + maxBytes + " bytes)");
        }
        try {
            return utf8.decode(ByteBuffer.wrap(line.bytes())).toString();
        } catch (CharacterCodingException e) {
            throw reject(line, lenient(line.bytes()), "line is not valid UTF-8");
        }
    }

    protected SourceRecord record(LineReader.Line first, LineReader.Line last, String raw, ObjectNode record)
            throws RecordParseException {
        String key = RecordKeys.keyOf(record, keyField);
        if (key == null) {
            throw new RecordParseException(file, first.number(), first.offset(), last.end(), raw,
                    "no usable key: field '" + keyField + "' is missing, empty or not a string or number");
        }
        return new SourceRecord(file, first.number(), first.offset(), last.end(), key, record,
                RecordKeys.idempotencyKey(key, record), file + ":" + first.number());
    }

    protected RecordParseException reject(LineReader.Line line, String raw, String reason) {
        return new RecordParseException(file, line.number(), line.offset(), line.end(), raw, reason);
    }

    /** Best-effort text of bytes that may be broken, for an operator to read in rejected/. */
    protected static String lenient(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public long position() {
        return lines.offset();
    }

    @Override
    public long line() {
        return lines.lineNumber();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
