package dev.ferry.state;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of a {@code rejected/} file (SPEC §2): a record the API refused for good (with the status, the
 * start of the answer, the record and its idempotency key), or input that could not be read as a record
 * (with the raw input or an excerpt of it). Absent values are left out of the line.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RejectedEntry(String source, String reason, Integer status, String body, String key,
        String idempotencyKey, ObjectNode record, String input, Instant rejectedAt) {

    /** The API refused the record with {@code status}. */
    public static RejectedEntry refused(String source, int status, String body, String key, String idempotencyKey,
            ObjectNode record, Instant at) {
        return new RejectedEntry(source, "the API refused the record (HTTP " + status + ")", status, body, key,
                idempotencyKey, record, null, at);
    }

    /** A record from failed/ that ferry stopped trying ({@code ferry.failed.max-runs} or {@code max-age}). */
    public static RejectedEntry givenUp(String source, String reason, String key, String idempotencyKey,
            ObjectNode record, Instant at) {
        return new RejectedEntry(source, reason, null, null, key, idempotencyKey, record, null, at);
    }

    /** Input that is not a usable record. */
    public static RejectedEntry unreadable(String source, String reason, String input, Instant at) {
        return new RejectedEntry(source, reason, null, null, null, null, null, input, at);
    }
}
