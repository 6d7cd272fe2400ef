package dev.ferry.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the records of one file in file order, from a start position.
 * Not thread-safe: one reader per file, used by one thread.
 */
public interface RecordReader extends Closeable {

    /**
     * @return the next record, or null at the end of the file
     * @throws RecordParseException for a line that is not a usable record; the next call reads on after it
     * @throws IOException          when the file cannot be read; the run stops
     */
    SourceRecord read() throws RecordParseException, IOException;

    /** Byte offset just after the last record returned or rejected. */
    long position();

    /** Number of the last line consumed. */
    long line();
}
