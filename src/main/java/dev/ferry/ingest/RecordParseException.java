package dev.ferry.ingest;

/**
 * A row or line that cannot become a record: malformed, without a usable key, too long, not UTF-8. It spans
 * lines {@code line..lastLine} (more than one for a CSV row with line breaks in a quoted field, none for the
 * "file is empty" reject); the caller rejects it (rejected/ gets file, line and reason) and reads on after it.
 */
public class RecordParseException extends Exception {

    private final String file;
    private final long line;
    private final long lastLine;
    private final long offset;
    private final String input;

    /**
     * @param line     first line of the input (1-based)
     * @param lastLine last line of the input; {@code line - 1} when it has none
     * @param offset   byte offset where the input starts
     * @param input    the raw input, or an excerpt of it when it is long
     */
    public RecordParseException(String file, long line, long lastLine, long offset, String input, String reason) {
        super(reason);
        this.file = file;
        this.line = line;
        this.lastLine = lastLine;
        this.offset = offset;
        this.input = input;
    }

    public String file() {
        return file;
    }

    /** The first line of the rejected input. */
    public long line() {
        return line;
    }

    /** The last line of the rejected input. */
    public long lastLine() {
        return lastLine;
    }

    /** Lines of the file this reject accounts for. */
    public long lineCount() {
        return lastLine - line + 1;
    }

    public long offset() {
        return offset;
    }

    /** The raw input (an excerpt when it was too long or a quote did not close). */
    public String input() {
        return input;
    }

    public String reason() {
        return getMessage();
    }

    @Override
    public String toString() {
        return file + ":" + (lastLine > line ? line + "-" + lastLine : line) + ": " + getMessage();
    }
}
