package dev.ferry.ingest;

/**
 * A whole file that cannot be read as data: its header has no key column, or its bytes cannot be read (a
 * permission, a link). No line of it can become a record, and retrying will not change that: the caller sets the
 * file aside (quarantine/) and goes on with the next one. A problem with the volume itself is an IOException
 * instead, and stops the run.
 */
public class UnreadableFileException extends Exception {

    public UnreadableFileException(String reason) {
        super(reason);
    }

    public UnreadableFileException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public String reason() {
        return getMessage();
    }
}
