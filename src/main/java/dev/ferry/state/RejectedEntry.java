package dev.ferry.state;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of a {@code rejected/} file (docs/reference.md, Folders): a record the API refused for good (with the
 * status, the start of the answer, the record and its idempotency key), or input that could not be read as a record
 * (with the raw input or an excerpt of it). Absent values are left out of the line. A refused or given-up
 * {@code DELETE} (of a key a snapshot left out) has {@code operation} {@code "delete"}: whoever sends it again
 * ({@code ferry requeue}) must send a DELETE, not the record.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RejectedEntry(String source, String reason, Integer status, String body, String key,
        String idempotencyKey, ObjectNode record, String input, Instant rejectedAt, String operation) {

    /**
     * The API refused the record with {@code status}.
     *
     * @param operation {@code "delete"} when the refused request was the DELETE of the key, else null
     */
    public static RejectedEntry refused(String source, int status, String body, String key, String idempotencyKey,
            ObjectNode record, Instant at, String operation) {
        return new RejectedEntry(source, "the API refused the " + (operation == null ? "record" : "delete")
                + " (HTTP " + status + ")", status, body, key, idempotencyKey, record, null, at, operation);
    }

    /** This refusal, its reason saying why the answer's body could not be read (its status refused all the same). */
    public RejectedEntry bodyUnread(String why) {
        return new RejectedEntry(source, reason + "; " + why, status, body, key, idempotencyKey, record, input,
                rejectedAt, operation);
    }

    /** A record from failed/ that ferry stopped trying ({@code ferry.failed.max-runs} or {@code max-age}). */
    public static RejectedEntry givenUp(String source, String reason, String key, String idempotencyKey,
            ObjectNode record, Instant at, String operation) {
        return new RejectedEntry(source, reason, null, null, key, idempotencyKey, record, null, at, operation);
    }

    /** Input that is not a usable record. */
    public static RejectedEntry unreadable(String source, String reason, String input, Instant at) {
        return new RejectedEntry(source, reason, null, null, null, null, null, input, at, null);
    }
}
