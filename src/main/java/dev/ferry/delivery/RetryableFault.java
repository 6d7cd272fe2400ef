package dev.ferry.delivery;

import java.util.function.Predicate;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code @RetryWhen} of {@link RecordSender}: {@link RetryRules#retryable}. */
@RegisterForReflection
public class RetryableFault implements Predicate<Throwable> {

    private final RetryRules rules = Arc.container().instance(RetryRules.class).get();

    @Override
    public boolean test(Throwable failure) {
        return rules.retryable(failure);
    }
}
