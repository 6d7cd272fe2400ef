package dev.ferry.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * A client-side rate limit (SPEC §5): a token bucket (Bucket4j) that holds one token and refills it every
 * {@code 1/rate}. A caller takes a token or parks until the next one; it is never refused. Because the bucket
 * holds at most one token and a token is taken only by a caller that is there to use it, starts are at least
 * {@code 1/rate} apart (no burst, so never more than the rate in any second), and callers who are always waiting
 * get the whole rate.
 * <p>
 * The first request of a run sets up its connection and runs the client's code cold: it can reach the API long
 * after it started, and then close to the next one. So the first answer of a run empties the bucket, and the next
 * request starts a full interval after it ({@link #startRun}, {@link #answered}). Thread-safe.
 */
public final class RateLimiter {

    /** Parks at most this long at a time, to notice a stop. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Parks the calling thread; a test replaces it to move a fake clock instead. */
    public interface Parking {
        void park(long nanos) throws InterruptedException;
    }

    private static final RateLimiter UNLIMITED = new RateLimiter(null, null);

    private final Bucket bucket;
    private final Parking parking;
    private final AtomicBoolean warm = new AtomicBoolean();

    private RateLimiter(Bucket bucket, Parking parking) {
        this.bucket = bucket;
        this.parking = parking;
    }

    /** No limit: {@link #acquire} returns at once. */
    public static RateLimiter unlimited() {
        return UNLIMITED;
    }

    /** {@code perSecond} requests a second at most, on the system's clock. */
    public static RateLimiter of(double perSecond) {
        return of(perSecond, TimeMeter.SYSTEM_NANOTIME, RateLimiter::parkNanos);
    }

    /** The same on a given time source and way to wait (tests pass a fake clock). */
    public static RateLimiter of(double perSecond, TimeMeter time, Parking parking) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be a positive number, not " + perSecond);
        }
        long interval = Math.max(1, Math.round(1e9 / perSecond));
        Bucket bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofNanos(interval)))
                .withCustomTimePrecision(time)
                .build();
        return new RateLimiter(bucket, parking);
    }

    /** A new run: its first answer will empty the bucket again. */
    public void startRun() {
        warm.set(false);
    }

    /** A request was answered (or failed); the first of a run empties the bucket. */
    public void answered() {
        if (bucket != null && warm.compareAndSet(false, true)) {
            bucket.tryConsumeAsMuchAsPossible();
        }
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
        if (bucket == null) {
            return true;
        }
        while (true) {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return true;
            }
            if (stopping.getAsBoolean()) {
                return false;
            }
            parking.park(Math.min(probe.getNanosToWaitForRefill(), SLICE_NANOS));
        }
    }

    private static void parkNanos(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
