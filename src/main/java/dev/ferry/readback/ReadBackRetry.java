package dev.ferry.readback;

import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.Backoff;
import dev.ferry.delivery.TransientFault;
import io.quarkus.arc.Arc;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * The retry rules of a read-back ({@link RecordFetcher}): every transient fault is retried, with the delivery's
 * backoff. Unlike a delivery's, they do not look at a run's stop signal or breaker: verify is not part of a run
 * (in {@code ferry serve} it runs after runs that may have stopped), a run's reconciliation of ambiguous deliveries
 * looks at its stop between keys, and read-backs have their own breaker.
 */
@ApplicationScoped
@Unremovable
public class ReadBackRetry {

    private final Backoff backoff;

    public ReadBackRetry(FerryConfig config) {
        this.backoff = new Backoff(config.retry().initialDelay().toMillis(), config.retry().maxDelay().toMillis(),
                config.retry().jitter().toMillis());
    }

    Backoff backoff() {
        return backoff;
    }

    static boolean retryable(Throwable failure) {
        return failure instanceof TransientFault || failure instanceof TimeoutException;
    }

    /** {@code @RetryWhen} of {@link RecordFetcher}. */
    @RegisterForReflection
    public static class Retryable implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return retryable(failure);
        }
    }

    /** {@code @CustomBackoff} of {@link RecordFetcher}; SmallRye creates one per read-back. */
    @RegisterForReflection
    public static class Wait implements CustomBackoffStrategy {

        private final Backoff backoff = Arc.container().instance(ReadBackRetry.class).get().backoff();
        private int retry;

        @Override
        public long nextDelayInMillis(Throwable failure) {
            return backoff.delayMillis(retry++, failure instanceof TransientFault fault ? fault.retryAfter()
                    : Optional.empty());
        }
    }
}
