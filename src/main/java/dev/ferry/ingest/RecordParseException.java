package dev.ferry.ingest;

/**
 * A line that cannot become a record: malformed, without a usable key, too long, not UTF-8.
 * The caller rejects it (it goes to rejected/ with file, line and reason) and reads on.
 */
public class RecordParseException extends Exception {

    private final String file;
    private final long line;
    private final long offset;
    private final long end;
    private final String input;

    public RecordParseException(String file, long line, long offset, long end, String input, String reason) {
        super(reason);
        this.file = file;
        this.line = line;
        this.offset = offset;
        this.end = end;
        this.input = input;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public long offset() {
        return offset;
    }

    public long end() {
        return end;
    }

    /** The raw input (an excerpt when the line was too long). */
    public String input() {
        return input;
    }

    public String reason() {
        return getMessage();
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + getMessage();
    }
}
