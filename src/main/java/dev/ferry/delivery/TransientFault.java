package dev.ferry.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * A fault worth retrying: connect failure, reset, timeout, or a status in {@code ferry.retry.on-status}.
 * Carries the server's {@code Retry-After}, if any, for the backoff.
 */
public class TransientFault extends RuntimeException {

    private final RequestResult result;
    private final int status;
    private final Duration retryAfter;

    public TransientFault(RequestResult result, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause, false, false);
        this.result = result;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public RequestResult result() {
        return result;
    }

    /** HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
