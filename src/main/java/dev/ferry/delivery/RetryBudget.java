package dev.ferry.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.config.FerryConfig;

/**
 * A retry quota in the AWS SDK's manner: over a run, {@code 10 + ferry.retry.budget × first attempts}
 * retries are allowed. A degraded API then sees at most that many retries instead of a retry storm.
 * Thread-safe.
 */
@ApplicationScoped
public class RetryBudget {

    static final int FLOOR = 10;

    private final double ratio;
    private long firstAttempts;
    private long retries;

    public RetryBudget(FerryConfig config) {
        this.ratio = config.retry().budget();
    }

    public synchronized void reset() {
        firstAttempts = 0;
        retries = 0;
    }

    synchronized void firstAttempt() {
        firstAttempts++;
    }

    /** @return true, counting one retry, when the budget allows one more */
    synchronized boolean tryAcquire() {
        if (!hasRoom()) {
            return false;
        }
        retries++;
        return true;
    }

    synchronized boolean hasRoom() {
        return ratio < 0 || retries < FLOOR + ratio * firstAttempts;
    }
}
