package dev.ferry.delivery;

import java.util.OptionalDouble;

/**
 * A client-side rate limit: a token bucket holding one token, refilled {@code rate} times a second,
 * so requests are spaced at least {@code 1/rate} apart and the API never sees more than agreed in
 * any second. A caller waits for its turn; it is never refused. Thread-safe.
 */
public final class RequestPacer {

    private final long intervalNanos;
    private long nextFree;

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
            nextFree = Math.max(nextFree, System.nanoTime() + intervalNanos);
        }
    }

    /** Waits until this caller may send. */
    public void await() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, nextFree);
            nextFree = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
