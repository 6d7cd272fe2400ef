package dev.ferry.state;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of a {@code failed/} file (SPEC §2): a record that ran out of retries, with the idempotency key
 * it was first sent with, so that its replay is the same request.
 *
 * @param source    {@code file:line} where the record was first read
 * @param attempts  requests sent for it by the run that failed it
 * @param lastError the fault its last attempt met
 */
@RegisterForReflection
public record FailedEntry(String key, String idempotencyKey, ObjectNode record, String source, int attempts,
        String lastError, Instant failedAt) {
}
