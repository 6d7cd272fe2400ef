package dev.ferry.verify;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code reports/verify-<id>.json}: how what the API holds compares with the last version ferry sent
 * of each key. Lists are cut at {@value Verifier#LISTED} entries; the counts are complete.
 */
@RegisterForReflection
public record VerifyReport(String verifyId, Instant startedAt, Instant endedAt, int exitCode, long total,
        long startedAtKey, long matched, long missingCount, long differentCount, long notChecked, boolean finished,
        List<String> missing, List<Difference> different, String repairFile, String stopReason) {

    /** A key whose stored record differs: field → what was sent and what the API holds. */
    @RegisterForReflection
    public record Difference(String key, Map<String, FieldDiff> fields) {
    }

    @RegisterForReflection
    public record FieldDiff(JsonNode sent, JsonNode api) {
    }
}
