package dev.ferry.delivery;

/** 401 or 403: not the record's fault. The run stops at once, rejects nothing and exits 77. */
public class CredentialsRefused extends RuntimeException {

    private final int status;

    public CredentialsRefused(int status) {
        super("the API refused the credentials (HTTP " + status + ")", null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
