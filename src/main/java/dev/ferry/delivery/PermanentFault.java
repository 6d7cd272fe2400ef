package dev.ferry.delivery;

/** The API refused the record for good (a status not in {@code ferry.retry.on-status}): never retried. */
public class PermanentFault extends RuntimeException {

    private final int status;
    private final String bodyExcerpt;

    public PermanentFault(int status, String bodyExcerpt) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.bodyExcerpt = bodyExcerpt;
    }

    public int status() {
        return status;
    }

    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
