package dev.ferry.delivery;

import java.util.function.Predicate;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.ferry.delivery.BreakerGate;
import dev.ferry.core.StopSignal;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Which failures {@link RecordSender} retries: transient faults only, and not once the run is stopping
 * or the breaker has opened (a record caught by an opening breaker goes to failed/ at once).
 */
@RegisterForReflection
public class RetryableFault implements Predicate<Throwable> {

    private final StopSignal stop = Arc.container().instance(StopSignal.class).get();
    private final BreakerGate gate = Arc.container().instance(BreakerGate.class).get();

    @Override
    public boolean test(Throwable failure) {
        boolean transientFault = (failure instanceof TransientFault && !(failure instanceof RetryBudgetSpent))
                || failure instanceof TimeoutException;
        return transientFault && !stop.requested() && !gate.isOpen();
    }
}
