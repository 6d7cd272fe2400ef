package dev.ferry.delivery;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.StopSignal;
import io.quarkus.arc.Unremovable;

/**
 * The two rules of {@link RecordSender}'s {@code @Retry} that its configuration cannot express: which
 * failures get another attempt, and how long to wait before it. SmallRye instantiates the two classes that
 * carry them into the annotations ({@link RetryableFault}, {@link RetryAfterBackoff}) without injection,
 * so each looks this one bean up once.
 */
@ApplicationScoped
@Unremovable
public class RetryRules {

    private final Backoff backoff;
    private final RetryBudget budget;
    private final StopSignal stop;
    private final BreakerGate gate;

    public RetryRules(FerryConfig config, RetryBudget budget, StopSignal stop, BreakerGate gate) {
        this.backoff = new Backoff(config.retry().initialDelay().toMillis(), config.retry().maxDelay().toMillis(),
                config.retry().jitter().toMillis());
        this.budget = budget;
        this.stop = stop;
        this.gate = gate;
    }

    /**
     * Transient faults only, and not once the run is stopping or the breaker has opened (a record caught by an
     * opening breaker goes to failed/ at once).
     */
    boolean retryable(Throwable failure) {
        boolean transientFault = (failure instanceof TransientFault && !(failure instanceof RetryBudgetSpent))
                || failure instanceof TimeoutException;
        return transientFault && !stop.requested() && !gate.isOpen();
    }

    /** The wait before retry number {@code retry} (0-based); 0 when the retry budget is spent (the attempt then ends at once). */
    long delayMillis(int retry, Throwable failure) {
        if (!budget.hasRoom()) {
            return 0;
        }
        return backoff.delayMillis(retry, failure instanceof TransientFault fault ? fault.retryAfter()
                : Optional.empty());
    }
}
