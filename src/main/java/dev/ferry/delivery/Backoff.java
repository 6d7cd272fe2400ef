package dev.ferry.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before a retry: exponential (factor 2 from the initial delay) or the server's {@code Retry-After},
 * whichever is longer, plus up to {@code jitter} of random spread, capped by {@code max}. Pure arithmetic that
 * saturates instead of overflowing: any Retry-After, however large, ends as {@code max}.
 */
public record Backoff(long initialMillis, long maxMillis, long jitterMillis) {

    /** @param retry 0 for the first retry */
    public long delayMillis(int retry, Optional<Duration> retryAfter) {
        long exponential = initialMillis << Math.min(retry, 30);
        long wait = exponential < 0 || (exponential >> Math.min(retry, 30)) != initialMillis ? Long.MAX_VALUE : exponential;
        if (retryAfter.isPresent()) {
            wait = Math.max(wait, saturatedMillis(retryAfter.get()));
        }
        long jitter = jitterMillis > 0 ? ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0;
        long total = wait > Long.MAX_VALUE - jitter ? Long.MAX_VALUE : wait + jitter;
        return Math.min(maxMillis, total);
    }

    private static long saturatedMillis(Duration duration) {
        try {
            return Math.max(0, duration.toMillis());
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }
}
