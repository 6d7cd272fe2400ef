package dev.ferry.delivery;

/** 401 or 403: not the record's fault. The run stops at once, rejects nothing and exits 77. */
public class CredentialsRefused extends RuntimeException {

    private final int status;

    public CredentialsRefused(int status) {
        this(status, "the API refused the credentials (HTTP " + status + ")");
    }

    /** A refusal told by its message, e.g. by the OAuth2 token endpoint; the message never holds a secret. */
    public CredentialsRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
