package dev.ferry.delivery;

import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff (factor 2 from {@code ferry.retry.initial-delay}) that also honours a
 * {@code Retry-After} answer: the wait is the larger of the two, plus up to {@code ferry.retry.jitter}
 * of random spread, capped by {@code ferry.retry.max-delay}. A custom strategy because
 * {@code @ExponentialBackoff} cannot see the failed attempt's answer. When the retry budget is spent,
 * the wait is 0: the next attempt ends at once (see {@link RecordSender}).
 * SmallRye creates one instance per delivery.
 */
@RegisterForReflection
public class RetryAfterBackoff implements CustomBackoffStrategy {

    private final BackoffSettings settings = Arc.container().instance(BackoffSettings.class).get();
    private int retry;

    @Override
    public long nextDelayInMillis(Throwable failure) {
        if (!settings.budget().hasRoom()) {
            return 0;
        }
        long exponential = settings.initialDelayMillis() << Math.min(retry++, 30);
        long wait = exponential < 0 ? Long.MAX_VALUE : exponential;
        if (failure instanceof TransientFault fault && fault.retryAfter().isPresent()) {
            wait = Math.max(wait, fault.retryAfter().get().toMillis());
        }
        long jitter = settings.jitterMillis() > 0 ? ThreadLocalRandom.current().nextLong(settings.jitterMillis() + 1) : 0;
        return Math.min(settings.maxDelayMillis(), wait + jitter < 0 ? Long.MAX_VALUE : wait + jitter);
    }
}
