package dev.ferry.state;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of a {@code failed/} file (docs/reference.md, Folders): a record that ran out of retries, with the
 * idempotency key it was first sent with, so that its replay is the same request.
 *
 * @param source    {@code file:line} where the record was first read
 * @param attempts  requests sent for it by the run that failed it
 * @param lastError the fault its last attempt met
 * @param runs      runs that tried to deliver it and failed, this one included (0: it followed an earlier record of
 *                  its key without being tried); past {@code ferry.failed.max-runs} it is given up
 * @param firstFailedAt when the record first went to failed/; past {@code ferry.failed.max-age} it is given up
 * @param operation {@code "delete"} for the {@code DELETE} of a key a snapshot left out ({@code record} is then the
 *                  last version delivered); absent for a record to store
 * @param resend    true: sent even when it equals the last version delivered a re-send of the last version delivered,
 *                  under a fresh idempotency key: a {@code verify --repair} entry, or an ambiguous delivery the API
 *                  holds otherwise); absent otherwise
 */
@RegisterForReflection
public record FailedEntry(String key, String idempotencyKey, ObjectNode record, String source, int attempts,
        String lastError, Instant failedAt, int runs, Instant firstFailedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String operation,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean resend) {
}
