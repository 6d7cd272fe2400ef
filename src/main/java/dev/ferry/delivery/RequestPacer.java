package dev.ferry.delivery;

import java.util.OptionalDouble;

/**
 * A client-side rate limit: a token bucket holding one token, refilled {@code rate} times a second,
 * so requests start at least {@code 1/rate} apart and the API never sees more than agreed in any
 * second. A caller waits for its turn; it is never refused. Thread-safe.
 */
public final class RequestPacer {

    private final long intervalNanos;
    private long nextFree = System.nanoTime();

    /** @param rate requests per second; empty: no limit */
    public RequestPacer(OptionalDouble rate) {
        this.intervalNanos = rate.isPresent() ? (long) (1e9 / rate.getAsDouble()) : 0;
    }

    /**
     * A request has been answered: the next one starts no sooner than {@code 1/rate} from now, so a
     * request slowed on its way (connection set-up) cannot arrive closer than that to the next one.
     * With several in flight this costs nothing while callers queue for slots further ahead.
     */
    public synchronized void completed() {
        if (intervalNanos > 0) {
            long next = System.nanoTime() + intervalNanos;
            if (next - nextFree > 0) {
                nextFree = next;
            }
        }
    }

    /**
     * Waits until this caller may send: at least {@code 1/rate} after the previous caller actually
     * went (not merely after its planned slot, so a caller that woke late cannot bunch with the next).
     */
    public void await() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                if (now - nextFree >= 0) {
                    nextFree = now + intervalNanos; // from the actual start, not the planned one
                    return;
                }
                wait = nextFree - now;
            }
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
