package dev.ferry.delivery;

import java.time.Duration;
import java.util.Optional;
import dev.ferry.core.RequestResult;

/**
 * A fault worth retrying: connect failure, reset, timeout, or a status in {@code ferry.retry.on-status}.
 * Carries the server's {@code Retry-After}, if any, for the backoff.
 */
public class TransientFault extends RuntimeException {

    private final RequestResult result;
    private final int status;
    private final Duration retryAfter;
    private final String bodyExcerpt;

    /** A fault told by its message, such as no answer (timeout, connection; status 0). */
    public TransientFault(RequestResult result, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause, false, false);
        this.result = result;
        this.status = status;
        this.retryAfter = retryAfter;
        this.bodyExcerpt = "";
    }

    /** An answer whose status is in {@code ferry.retry.on-status}. */
    public TransientFault(int status, Duration retryAfter, String bodyExcerpt) {
        super("HTTP " + status + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt), null, false, false);
        this.result = RequestResult.ofStatus(status);
        this.status = status;
        this.retryAfter = retryAfter;
        this.bodyExcerpt = bodyExcerpt;
    }

    public RequestResult result() {
        return result;
    }

    /** HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The start of the answer's body; empty when there is none. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
