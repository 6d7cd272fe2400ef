package dev.ferry.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.ferry.core.Outcome;
import dev.ferry.core.RequestResult;

/**
 * What one run did, counted as it happens next to the metrics: the numbers of the run report and of the
 * progress lines. The metric registry outlives runs ({@code ferry serve} runs many), so nothing is read back
 * from it. Thread-safe.
 */
public final class RunStats {

    private final Map<Outcome, LongAdder> records = new EnumMap<>(Outcome.class);
    private final Map<RequestResult, LongAdder> requests = new EnumMap<>(RequestResult.class);
    private final LongAdder retries = new LongAdder();
    private final LongAdder breakerOpenings = new LongAdder();
    private final LongAdder pausedNanos = new LongAdder();

    public RunStats() {
        for (Outcome outcome : Outcome.values()) {
            records.put(outcome, new LongAdder());
        }
        for (RequestResult result : RequestResult.values()) {
            requests.put(result, new LongAdder());
        }
    }

    void settled(Outcome outcome) {
        records.get(outcome).increment();
    }

    void requested(RequestResult result) {
        requests.get(result).increment();
    }

    void retried() {
        retries.increment();
    }

    void breakerOpened() {
        breakerOpenings.increment();
    }

    void paused(long nanos) {
        pausedNanos.add(nanos);
    }

    /** Records settled with this outcome in this run. */
    public long records(Outcome outcome) {
        return records.get(outcome).sum();
    }

    public long requests(RequestResult result) {
        return requests.get(result).sum();
    }

    public long requests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long breakerOpenings() {
        return breakerOpenings.sum();
    }

    public Duration readerPaused() {
        return Duration.ofNanos(pausedNanos.sum());
    }
}
