package dev.ferry.delivery;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import dev.ferry.core.RequestResult;
import dev.ferry.core.StopSignal;
import dev.ferry.metrics.FerryMetrics;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Sends one record, retrying transient faults. The numbers in the annotations are placeholders:
 * {@code FrameworkConfigSourceFactory} sets them from {@code ferry.retry.max-retries}.
 */
@ApplicationScoped
public class RecordSender {

    /** The method whose fault-tolerance values FrameworkConfigSourceFactory sets from ferry.*. */
    public static final String FT_METHOD = "dev.ferry.delivery.RecordSender/send";

    private final RetryBudget budget;
    private final StopSignal stop;
    private final FerryMetrics metrics;
    private final RateLimiter rateLimit;
    private final RequestAttempt attempt;
    private final Clock clock;

    public RecordSender(RetryBudget budget, StopSignal stop, FerryMetrics metrics, RateLimiter rateLimit,
            RequestAttempt attempt, Clock clock) {
        this.budget = budget;
        this.stop = stop;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.attempt = attempt;
        this.clock = clock;
    }

    /**
     * One delivery with its retries.
     * <ul>
     * <li>{@code @Retry}: transient faults are worth another attempt; the count is {@code ferry.retry.max-retries},
     * no total duration cap (the run's deadline bounds it).</li>
     * <li>{@code @CustomBackoff}: exponential waits that honour Retry-After ({@link RetryAfterBackoff}).</li>
     * <li>{@code @RetryWhen}: only transient faults, and not while the run stops or the breaker is open
     * ({@link RetryableFault}).</li>
     * </ul>
     * Each attempt first waits for the rate limit, outside the attempt's {@code @Timeout} ({@link RequestAttempt}):
     * waiting one's turn is neither a timeout nor an attempt. An attempt that failed but may have been applied marks
     * the delivery ambiguous ({@link Delivery#ambiguousAt}).
     *
     * @throws TransientFault    retries are exhausted (or the budget is spent)
     * @throws PermanentFault    the API refused the record for good
     * @throws CredentialsRefused 401/403
     * @throws RunStopping       the run is stopping; the record was not settled
     */
    @Retry(maxRetries = 3, delay = 0, jitter = 0, maxDuration = 0)
    @CustomBackoff(RetryAfterBackoff.class)
    @RetryWhen(exception = RetryableFault.class)
    public void send(Delivery delivery) {
        if (stop.requested()) {
            throw new RunStopping();
        }
        if (delivery.attempts() == 0) {
            budget.firstAttempt();
        } else if (!budget.tryAcquire()) {
            throw new RetryBudgetSpent(asTransient(delivery.lastFault()));
        } else {
            metrics.retried();
        }
        try {
            if (!rateLimit.acquire(stop::requested)) {
                throw new RunStopping();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStopping();
        }
        try {
            attempt.send(delivery);
        } catch (RuntimeException fault) { // the attempt's @Timeout included, which only this side sees
            if (FaultClassifier.mayHaveApplied(fault)) {
                delivery.ambiguous(clock.instant());
            }
            throw fault;
        } finally {
            rateLimit.answered();
        }
    }

    private static TransientFault asTransient(RuntimeException last) {
        return last instanceof TransientFault fault ? fault
                : new TransientFault(RequestResult.TIMEOUT, 0, null, "timeout: " + last, last);
    }
}
