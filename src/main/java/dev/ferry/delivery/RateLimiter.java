package dev.ferry.delivery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A client-side rate limit ({@code ferry.delivery.rate-limit}): a token bucket that holds one token and refills it
 * {@code 1/rate} after the last request went out (GCRA with no burst). A caller waits for its turn and is never
 * refused; requests that keep coming get the whole rate, and no two requests start closer than {@code 1/rate}, so the
 * API never sees more than the rate in any second.
 * <p>
 * The interval counts from the moment a request actually goes out ({@link #sent}), not from when its caller was
 * let through: a caller preempted between the two (a busy node, a garbage collection) would otherwise send late,
 * right before the next one. Such a late caller also finds, in {@link #sent}, the last request that went out: it
 * waits until an interval after that one, so requests never go out closer than an interval, whatever the threads
 * do between the two calls. The first request of a run sets up its connection and runs the client's code cold,
 * so the next request waits a full interval after its answer ({@link #startRun}, {@link #answered}).
 * Thread-safe.
 */
public final class RateLimiter {

    /** Parks at most this long at a time, to notice a stop. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Parks the calling thread; a test replaces it to move a fake clock instead. */
    public interface Parking {
        void park(long nanos) throws InterruptedException;
    }

    private static final RateLimiter UNLIMITED = new RateLimiter(0, System::nanoTime, RateLimiter::parkNanos);

    private final long interval;
    private final LongSupplier nanoTime;
    private final Parking parking;
    private long next;
    private long lastSent;
    private boolean warm;

    private RateLimiter(long interval, LongSupplier nanoTime, Parking parking) {
        this.interval = interval;
        this.nanoTime = nanoTime;
        this.parking = parking;
        this.next = nanoTime.getAsLong();
        this.lastSent = next - interval;
    }

    /** No limit: {@link #acquire} returns at once. */
    public static RateLimiter unlimited() {
        return UNLIMITED;
    }

    /** {@code perSecond} requests a second at most. */
    public static RateLimiter of(double perSecond) {
        return of(perSecond, System::nanoTime, RateLimiter::parkNanos);
    }

    /** The same on a given time source and way to wait (tests pass a fake clock). */
    public static RateLimiter of(double perSecond, LongSupplier nanoTime, Parking parking) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be a positive number, not " + perSecond);
        }
        return new RateLimiter(Math.max(1, Math.round(1e9 / perSecond)), nanoTime, parking);
    }

    /** A new run: its first answer will count as the last request's start. */
    public synchronized void startRun() {
        warm = false;
    }

    /** Waits for this caller's turn. */
    public void acquire() throws InterruptedException {
        acquire(() -> false);
    }

    /**
     * Waits for this caller's turn, unless {@code stopping} becomes true first.
     *
     * @return false when the wait ended because of {@code stopping}
     */
    public boolean acquire(BooleanSupplier stopping) throws InterruptedException {
        if (interval == 0) {
            return true;
        }
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                wait = next - now;
                if (wait <= 0) {
                    next = now + interval; // this caller's token: the next one comes an interval later
                    return true;
                }
            }
            if (stopping.getAsBoolean()) {
                return false;
            }
            parking.park(Math.min(wait, SLICE_NANOS));
        }
    }

    /**
     * The request a caller was let through for goes out now, or an interval after the last request that went out
     * if that is later (its caller was preempted after {@link #acquire}); the next one starts no sooner than an
     * interval after it. The wait here is short and rare: it happens inside the attempt's timeout. Interrupted (the
     * attempt timed out, the run stops), it returns at once with the thread's interrupt flag set, for the request
     * to fail as an interrupted one.
     */
    public void sent() {
        if (interval == 0) {
            return;
        }
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                wait = lastSent + interval - now;
                if (wait <= 0) {
                    lastSent = now;
                    next = Math.max(next, now + interval);
                    return;
                }
            }
            try {
                parking.park(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A request was answered (or failed); after the first of a run the next waits a full interval. */
    public synchronized void answered() {
        if (interval > 0 && !warm) {
            warm = true;
            next = Math.max(next, nanoTime.getAsLong() + interval);
        }
    }

    private static void parkNanos(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
