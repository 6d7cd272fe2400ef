package dev.ferry.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

import dev.ferry.config.FerryConfig;

/** The {@code ferry.retry.*} waits in milliseconds, read once for {@link RetryAfterBackoff}. */
@ApplicationScoped
@Unremovable // looked up by classes that SmallRye Fault Tolerance instantiates
public class BackoffSettings {

    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long jitterMillis;
    private final RetryBudget budget;

    public BackoffSettings(FerryConfig config, RetryBudget budget) {
        this.initialDelayMillis = config.retry().initialDelay().toMillis();
        this.maxDelayMillis = config.retry().maxDelay().toMillis();
        this.jitterMillis = config.retry().jitter().toMillis();
        this.budget = budget;
    }

    long initialDelayMillis() {
        return initialDelayMillis;
    }

    long maxDelayMillis() {
        return maxDelayMillis;
    }

    long jitterMillis() {
        return jitterMillis;
    }

    RetryBudget budget() {
        return budget;
    }
}
