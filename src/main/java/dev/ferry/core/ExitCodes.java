package dev.ferry.core;

/** ferry's exit codes, which scripts and the Helm chart rely on (docs/reference.md, Exit codes). */
public final class ExitCodes {

    /** Nothing left: every record delivered or rejected (or another run holds the lock). */
    public static final int OK = 0;
    /** Work remains for the next run. */
    public static final int WORK_LEFT = 75;
    /**
     * The API looks misrouted or misconfigured (records in a row refused with routing-type answers), or a snapshot
     * would delete more than {@code ferry.snapshot.max-delete-ratio} of the known keys.
     */
    public static final int MISROUTED = 76;
    /** The API refused the credentials. */
    public static final int CREDENTIALS_REFUSED = 77;
    /** Configuration error. */
    public static final int CONFIG = 78;
    /** verify found differences. */
    public static final int MISMATCH = 3;
    /** Unexpected error. */
    public static final int UNEXPECTED = 1;

    private ExitCodes() {
    }
}
