package dev.ferry.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the records of one file in file order, from a start position.
 * <p>
 * Accounting: every line from the start position on ends up in exactly one of {@link #skippedLines()} (a header,
 * blank lines), a returned record's lines ({@link SourceRecord#lineCount()}) or a reject's lines
 * ({@link RecordParseException#lineCount()}). Once {@link #read()} has returned null, their sum equals
 * {@link LineCount#of} the file from the same position, a count that does not depend on parsing.
 * <p>
 * Not thread-safe: one reader per file, used by one thread.
 */
public interface RecordReader extends Closeable {

    /**
     * @return the next record, or null at the end of the file
     * @throws RecordParseException for input that is not a usable record; the next call reads on after it
     * @throws IOException          when the file cannot be read; the run stops
     */
    SourceRecord read() throws RecordParseException, IOException;

    /** Byte offset just after the last record returned or rejected. */
    long position();

    /** Number of the last line consumed. */
    long line();

    /** Lines consumed since the start position that belong to no record and no reject: a header, blank lines. */
    long skippedLines();
}
