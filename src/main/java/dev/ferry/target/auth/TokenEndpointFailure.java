package dev.ferry.target.auth;

/**
 * The OAuth2 token endpoint gave no token: it did not answer (status 0, the failure as cause), or answered a status
 * other than 2xx. What that means for the attempt (an outage of the endpoint, a refused client, a wrong URL) is
 * decided with every other fault by {@code dev.ferry.delivery.FaultClassifier}. Never holds a secret.
 */
public class TokenEndpointFailure extends RuntimeException {

    private final int status;
    private final String errorCode;

    /**
     * @param status    the HTTP status, or 0 when no answer came
     * @param errorCode the OAuth2 {@code error} of the answer (e.g. {@code invalid_client}), or empty
     * @param cause     why no answer came, or null
     */
    public TokenEndpointFailure(int status, String errorCode, Throwable cause) {
        super(status == 0 ? "the token endpoint did not answer" : "the token endpoint answered HTTP " + status
                + (errorCode.isEmpty() ? "" : " " + errorCode), cause, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The OAuth2 error code of the answer, e.g. {@code invalid_client}; empty when none. */
    public String errorCode() {
        return errorCode;
    }

    /** 400, 401 or 403: the endpoint refused this client ({@code invalid_client}, {@code unauthorized_client}, …). */
    public boolean refusesTheClient() {
        return status == 400 || status == 401 || status == 403;
    }
}
