package dev.ferry.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;

/**
 * The records of {@link FlakyApi}, the ledger of applied Idempotency-Keys, the writes in flight, the late writes
 * and the counters of {@link FlakyStats}. Synchronized: the event loop writes, test threads read (and wait for late
 * writes to land).
 */
final class RecordStore {

    /** An applied request, remembered by its Idempotency-Key. */
    private record Applied(String key, String canonicalBody, Answer answer) {
    }

    /** A write answered 504 that lands later. */
    private record LateWrite(String key, JsonNode body, String idempotencyKey) {
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
    /** Per key, the order number of the write whose value it holds (order of arrival for late writes). */
    private final Map<String, Long> valueWrittenBy = new HashMap<>();
    /** Keys whose first write was already taken (for {@link FaultPlan#lateApplyKey}). */
    private final Set<String> firstWriteTaken = new HashSet<>();
    /** Late writes waiting to land, by order number. */
    private final Map<Long, LateWrite> lateWaiting = new TreeMap<>();
    private long writes;
    private long lateApplied;
    private long lateOverNewer;
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
        Answer answer = store(key, body, ++writes);
        if (idempotencyKey != null) {
            ledger.put(idempotencyKey, new Applied(key, canonical, answer));
            if (appliesPerIdempotencyKey.merge(idempotencyKey, 1, Integer::sum) == 2) {
                appliedTwice++;
            }
            underKey(key, canonical, idempotencyKey);
        }
        return answer;
    }

    /** True when a request with this Idempotency-Key was applied (false for none). */
    synchronized boolean remembers(String idempotencyKey) {
        return idempotencyKey != null && ledger.containsKey(idempotencyKey);
    }

    /** True for the first write of {@code key} since the start or last reset. */
    synchronized boolean firstWrite(String key) {
        return firstWriteTaken.add(key);
    }

    /** A late write was accepted (answered 504) and waits to land: its order number, to land it by. */
    synchronized long acceptedLate(String key, JsonNode body, String idempotencyKey) {
        long order = ++writes;
        lateWaiting.put(order, new LateWrite(key, body, idempotencyKey));
        return order;
    }

    /** Lands every late write still waiting, in the order they arrived; returns how many. */
    synchronized int landLate() {
        List<Long> orders = new ArrayList<>(lateWaiting.keySet());
        orders.forEach(this::land);
        return orders.size();
    }

    /**
     * Lands the late write accepted as number {@code order}, if it still waits, whatever came since: its
     * Idempotency-Key is remembered from now on (unless a retry of it was applied meanwhile), and it is counted apart
     * from the requests' applies.
     */
    synchronized void land(long order) {
        LateWrite late = lateWaiting.remove(order);
        if (late == null) {
            return;
        }
        if (valueWrittenBy.getOrDefault(late.key(), 0L) > order) {
            lateOverNewer++;
        }
        Answer answer = store(late.key(), late.body(), order);
        lateApplied++;
        if (late.idempotencyKey() != null) {
            String canonical = Json.canonical(late.body());
            ledger.putIfAbsent(late.idempotencyKey(), new Applied(late.key(), canonical, answer));
            underKey(late.key(), canonical, late.idempotencyKey());
        }
        notifyAll();
    }

    /** Waits until {@code count} late writes have landed since the start or last reset; false on timeout. */
    synchronized boolean awaitLateApplied(long count, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (lateApplied < count) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private Answer store(String key, JsonNode body, long order) {
        boolean created = values.put(key, body) == null;
        valueWrittenBy.put(key, order);
        applied++;
        return Answer.of(created ? 201 : 200, body);
    }

    private void underKey(String key, String canonical, String idempotencyKey) {
        Set<String> keys = idempotencyKeysPerVersion.computeIfAbsent(key + "\n" + canonical, v -> new HashSet<>());
        if (keys.add(idempotencyKey) && keys.size() == 2) {
            versionsUnderTwoKeys++;
        }
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
            valueWrittenBy.remove(key);
        } else {
            values.put(key, value);
            valueWrittenBy.put(key, ++writes);
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
        valueWrittenBy.clear();
        firstWriteTaken.clear();
        requests = resets = applied = concurrentSameKeyViolations = appliedTwice = versionsUnderTwoKeys = deleted = 0;
        lateApplied = lateOverNewer = 0; // late writes still waiting land all the same, as they would at a real API
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
                inFlight, concurrentSameKeyViolations, appliedTwice, versionsUnderTwoKeys, lateApplied, lateOverNewer,
                deleted);
    }
}
