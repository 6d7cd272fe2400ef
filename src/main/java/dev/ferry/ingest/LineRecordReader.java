package dev.ferry.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the one-record-per-line formats share: positioned opening, blank lines, strict UTF-8, the too-long check. */
abstract class LineRecordReader implements RecordReader {

    protected final SourceRecords records;
    protected final LineReader lines;
    private final int maxBytes;
    private long skippedLines;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    LineRecordReader(Path path, SourceRecords records, int maxBytes, long offset, long linesBefore)
            throws IOException, UnreadableFileException {
        this.records = records;
        this.maxBytes = maxBytes;
        this.lines = new LineReader(SourceFiles.openAt(path, offset), maxBytes, offset, linesBefore);
    }

    /** The next line that is not blank (blank ones are counted as skipped), or null at the end. */
    protected LineReader.Line nextLine() throws IOException {
        for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
            if (line.tooLong() || !line.isBlank()) {
                return line;
            }
            skippedLines++;
        }
        return null;
    }

    /** Counts a consumed line that belongs to no record and no reject. */
    protected void skipped() {
        skippedLines++;
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

    protected SourceRecord record(LineReader.Line line, String raw, ObjectNode record)
            throws RecordParseException {
        try {
            return records.record(line.number(), line.number(), line.offset(), record);
        } catch (RecordMaker.Unusable unusable) {
            throw reject(line, raw, unusable.getMessage());
        }
    }

    protected RecordParseException reject(LineReader.Line line, String raw, String reason) {
        return records.reject(line.number(), line.number(), line.offset(), raw, reason);
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
    public long skippedLines() {
        return skippedLines;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
