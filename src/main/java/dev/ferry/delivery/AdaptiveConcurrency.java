package dev.ferry.delivery;

/**
 * How many requests may be in flight, adapted to the API (AIMD): a 429 or 503 halves the limit, each
 * success raises it by one, up to {@code ferry.delivery.concurrency}. One decrease per congestion
 * event: answers to requests sent before the last decrease do not halve it again. It starts at one
 * (a slow start): the first request warms the client up alone, so a cold start cannot bunch the
 * first requests together. Thread-safe.
 */
public final class AdaptiveConcurrency {

    /** Handed out with each permit: the limit's generation when the request was sent. */
    public record Permit(long generation) {
    }

    private final int max;
    private int limit;
    private int inFlight;
    private long generation;

    public AdaptiveConcurrency(int max) {
        this.max = max;
        this.limit = 1;
    }

    /** Waits until fewer than {@link #limit()} requests are in flight. */
    public synchronized Permit acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
        return new Permit(generation);
    }

    /** The request ended; {@code status} is its HTTP status, or 0 when no answer came. */
    public synchronized void release(Permit permit, int status) {
        inFlight--;
        if (status == 429 || status == 503) {
            if (permit.generation() == generation) {
                limit = Math.max(1, limit / 2);
                generation++;
            }
        } else if (status >= 200 && status < 300 && limit < max) {
            limit++;
        }
        notifyAll();
    }

    public synchronized int limit() {
        return limit;
    }
}
