package dev.ferry.delivery;

/** The API refused the record for good (a status not in {@code ferry.retry.on-status}): never retried. */
public class PermanentFault extends RuntimeException {

    private final int status;
    private final String bodyExcerpt;
    private final String unread;

    public PermanentFault(int status, String bodyExcerpt) {
        this(status, bodyExcerpt, null);
    }

    /** @param unread why the answer's body could not be read (its status still refuses the record), or null */
    public PermanentFault(int status, String bodyExcerpt, String unread) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.bodyExcerpt = bodyExcerpt;
        this.unread = unread;
    }

    public int status() {
        return status;
    }

    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    /** Why the answer's body could not be read, or null when it was. */
    public String unread() {
        return unread;
    }
}
