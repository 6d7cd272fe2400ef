package dev.ferry.delivery;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * {@code @CustomBackoff} of {@link RecordSender}: {@link RetryRules#delayMillis}, exponential waits that also honour
 * {@code Retry-After} (which {@code @ExponentialBackoff} cannot see). SmallRye creates one instance per delivery.
 */
@RegisterForReflection
public class RetryAfterBackoff implements CustomBackoffStrategy {

    private final RetryRules rules = Arc.container().instance(RetryRules.class).get();
    private int retry;

    @Override
    public long nextDelayInMillis(Throwable failure) {
        return rules.delayMillis(retry++, failure);
    }
}
