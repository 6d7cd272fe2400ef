package dev.ferry.delivery;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.ferry.config.FerryConfig;

/**
 * How many records may be in delivery at once, adapted to the API (AIMD): a 429 or 503 answer halves
 * the limit, each success raises it by one, up to {@code ferry.delivery.concurrency}. One decrease per
 * congestion event: answers to requests sent before the last decrease do not halve it again.
 * <p>
 * A record holds its slot from its first attempt to its end, retries and backoff included. Each run
 * starts at one (a slow start), so an API that is down when the run begins is probed by one record
 * at a time: the breaker opens after {@code threshold × (retries + 1)} requests, as with concurrency 1,
 * instead of every slot spending its retries on a dead API. Thread-safe.
 */
@Singleton
public class AdaptiveConcurrency {

    private final int max;
    private int limit = 1;
    private int inFlight;
    private long generation;

    @Inject
    public AdaptiveConcurrency(FerryConfig config) {
        this(config.delivery().concurrency());
    }

    public AdaptiveConcurrency(int max) {
        this.max = max;
    }

    /** A new run: back to one record at a time. */
    public synchronized void startRun() {
        limit = 1;
        generation++;
    }

    /**
     * A record begins: waits until fewer than {@link #limit()} records are in delivery.
     *
     * @return the record's slot; closing it (once, whatever the outcome) frees it
     */
    public synchronized Slot acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
        return new Slot();
    }

    private synchronized void release() {
        inFlight--;
        notifyAll();
    }

    /** One record's place among those in delivery: a token, freed by {@link #close()} on every path. */
    public final class Slot implements AutoCloseable {

        private boolean closed;

        private Slot() {
        }

        @Override
        public void close() {
            synchronized (AdaptiveConcurrency.this) {
                if (!closed) {
                    closed = true;
                    release();
                }
            }
        }
    }

    /** Taken when an attempt is sent and handed back with its answer to {@link #answered}. */
    public synchronized long generation() {
        return generation;
    }

    /** An attempt ended; {@code status} is its HTTP status, or 0 when no answer came. */
    public synchronized void answered(long sentAt, int status) {
        if (status == 429 || status == 503) {
            if (sentAt == generation) {
                limit = Math.max(1, limit / 2);
                generation++;
            }
        } else if (status >= 200 && status < 300 && limit < max) {
            limit++;
            notifyAll();
        }
    }

    public synchronized int limit() {
        return limit;
    }
}
