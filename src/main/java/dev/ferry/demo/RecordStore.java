package dev.ferry.demo;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;

/**
 * The records of {@link FlakyApi}, the ledger of applied Idempotency-Keys, the writes in flight and the
 * counters of {@link FlakyStats}. Synchronized: the event loop writes, test threads read.
 */
final class RecordStore {

    /** An applied request, remembered by its Idempotency-Key. */
    private record Applied(String key, String canonicalBody, Answer answer) {
    }

    private final Map<String, JsonNode> values = new TreeMap<>();
    private final Map<String, Applied> ledger = new HashMap<>();
    private final Map<String, Integer> appliesPerIdempotencyKey = new HashMap<>();
    private final Map<String, Set<String>> idempotencyKeysPerVersion = new HashMap<>();
    private final Map<String, Integer> requestsPerIdempotencyKey = new HashMap<>();
    private final Map<String, Integer> requestsPerOtherIdentity = new HashMap<>();
    private final Map<String, Integer> inFlightKeys = new HashMap<>();
    private final Set<String> inFlightIdempotencyKeys = new HashSet<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private long requests;
    private long resets;
    private long applied;
    private long concurrentSameKeyViolations;
    private long appliedTwice;
    private long versionsUnderTwoKeys;
    private long deleted;
    /** What the ledger remembers as the "body" of a DELETE: no JSON text is empty. */
    private static final String DELETE = "";

    /**
     * Counts a request to /records.
     *
     * @return how many requests carried this Idempotency-Key (or, without one, this identity), this one included
     */
    synchronized int arrived(String idempotencyKey, String otherIdentity) {
        requests++;
        return idempotencyKey != null ? requestsPerIdempotencyKey.merge(idempotencyKey, 1, Integer::sum)
                : requestsPerOtherIdentity.merge(otherIdentity, 1, Integer::sum);
    }

    /**
     * Marks a write of {@code key} in flight, counting a violation if another one already is.
     *
     * @return false when a request with the same Idempotency-Key is in flight (the answer is 409)
     */
    synchronized boolean enter(String key, String idempotencyKey) {
        if (inFlightKeys.merge(key, 1, Integer::sum) > 1) {
            concurrentSameKeyViolations++;
        }
        return idempotencyKey == null || inFlightIdempotencyKeys.add(idempotencyKey);
    }

    synchronized void leave(String key, String idempotencyKey, boolean ownedIdempotencyKey) {
        inFlightKeys.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null);
        if (ownedIdempotencyKey && idempotencyKey != null) {
            inFlightIdempotencyKeys.remove(idempotencyKey);
        }
    }

    /**
     * Stores {@code body} as the value of {@code key}, unless {@code replay} is on and the Idempotency-Key was
     * applied before: then the remembered answer comes back (422 if that key came with another request).
     */
    synchronized Answer write(String key, JsonNode body, String idempotencyKey, boolean replay) {
        String canonical = Json.canonical(body);
        Applied before = idempotencyKey == null ? null : ledger.get(idempotencyKey);
        if (replay && before != null) {
            return before.key().equals(key) && before.canonicalBody().equals(canonical)
                    ? before.answer().replayed()
                    : Answer.error(422, "Idempotency-Key was used before for a different request");
        }
        boolean created = values.put(key, body) == null;
        applied++;
        Answer answer = Answer.of(created ? 201 : 200, body);
        if (idempotencyKey != null) {
            ledger.put(idempotencyKey, new Applied(key, canonical, answer));
            if (appliesPerIdempotencyKey.merge(idempotencyKey, 1, Integer::sum) == 2) {
                appliedTwice++;
            }
            Set<String> keys = idempotencyKeysPerVersion.computeIfAbsent(key + "\n" + canonical, v -> new HashSet<>());
            if (keys.add(idempotencyKey) && keys.size() == 2) {
                versionsUnderTwoKeys++;
            }
        }
        return answer;
    }

    /**
     * Removes the record of {@code key} (204; 404 when there is none), unless {@code replay} is on and the
     * Idempotency-Key was applied before: then the remembered answer comes back, as for {@link #write}.
     */
    synchronized Answer delete(String key, String idempotencyKey, boolean replay) {
        Applied before = idempotencyKey == null ? null : ledger.get(idempotencyKey);
        if (replay && before != null) {
            return before.key().equals(key) && before.canonicalBody().equals(DELETE)
                    ? before.answer().replayed()
                    : Answer.error(422, "Idempotency-Key was used before for a different request");
        }
        boolean removed = values.remove(key) != null;
        Answer answer = removed ? new Answer(204, "", Map.of()) : Answer.error(404, "no record " + key);
        if (removed) {
            deleted++;
        }
        if (idempotencyKey != null) {
            ledger.put(idempotencyKey, new Applied(key, DELETE, answer));
        }
        return answer;
    }

    synchronized Optional<JsonNode> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Drift behind the client's back: the stored value changes (null: the record disappears). */
    synchronized void drift(String key, JsonNode value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    synchronized void answered(int status) {
        statuses.merge(status, 1L, Long::sum);
    }

    synchronized void reset() {
        resets++;
    }

    /** Forgets records, ledger and counters; writes in flight stay tracked. */
    synchronized void clear() {
        values.clear();
        ledger.clear();
        appliesPerIdempotencyKey.clear();
        idempotencyKeysPerVersion.clear();
        requestsPerIdempotencyKey.clear();
        requestsPerOtherIdentity.clear();
        statuses.clear();
        requests = resets = applied = concurrentSameKeyViolations = appliedTwice = versionsUnderTwoKeys = deleted = 0;
    }

    /** A copy of the store, key order. */
    synchronized Map<String, JsonNode> state() {
        return Collections.unmodifiableMap(new TreeMap<>(values));
    }

    synchronized FlakyStats stats() {
        int maxRequests = requestsPerIdempotencyKey.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int inFlight = inFlightKeys.values().stream().mapToInt(Integer::intValue).sum();
        return new FlakyStats(requests, statuses, resets, applied, values.size(),
                new FlakyStats.IdempotencyKeys(requestsPerIdempotencyKey.size(), appliesPerIdempotencyKey.size(),
                        maxRequests),
                inFlight, concurrentSameKeyViolations, appliedTwice, versionsUnderTwoKeys, deleted);
    }
}
