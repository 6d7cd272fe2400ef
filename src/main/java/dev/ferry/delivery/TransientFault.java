package dev.ferry.delivery;

import java.time.Duration;
import java.util.Optional;
import dev.ferry.core.RequestResult;

/**
 * A fault worth retrying: connect failure, reset, timeout, or a status in {@code ferry.retry.on-status}.
 * Carries the server's {@code Retry-After}, if any, for the backoff, and whether the request may have been applied
 * all the same ({@link #ambiguous()}; {@link FaultClassifier} decides).
 */
public class TransientFault extends RuntimeException {

    private final RequestResult result;
    private final int status;
    private final Duration retryAfter;
    private final String bodyExcerpt;
    private final boolean ambiguous;

    /** A fault of a request that was never applied, told by its message (e.g. the token endpoint's). */
    public TransientFault(RequestResult result, int status, Duration retryAfter, String message, Throwable cause) {
        this(result, status, retryAfter, message, cause, "", false);
    }

    /** No answer (timeout, connection; status 0); {@code ambiguous} when the request may have reached the API. */
    public TransientFault(RequestResult result, String message, Throwable cause, boolean ambiguous) {
        this(result, 0, null, message, cause, "", ambiguous);
    }

    /**
     * An answer whose status is in {@code ferry.retry.on-status}; {@code ambiguous} when the status says the request
     * may have been applied all the same (a gateway that lost the API's answer).
     */
    public TransientFault(int status, Duration retryAfter, String bodyExcerpt, boolean ambiguous) {
        this(RequestResult.ofStatus(status), status, retryAfter,
                "HTTP " + status + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt), null, bodyExcerpt, ambiguous);
    }

    private TransientFault(RequestResult result, int status, Duration retryAfter, String message, Throwable cause,
            String bodyExcerpt, boolean ambiguous) {
        super(message, cause, false, false);
        this.result = result;
        this.status = status;
        this.retryAfter = retryAfter;
        this.bodyExcerpt = bodyExcerpt;
        this.ambiguous = ambiguous;
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

    /** True when the request may have been applied although it failed: its key is read back later. */
    public boolean ambiguous() {
        return ambiguous;
    }
}
