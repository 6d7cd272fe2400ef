package dev.ferry.delivery;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.smallrye.faulttolerance.api.CircuitBreakerName;

/**
 * The circuit breaker, one layer outside {@link RecordSender}'s retries, so that it counts records
 * that ran out of retries rather than single attempts (on one method SmallRye would put the breaker
 * inside the retry). {@code ferry.breaker.failure-threshold} such records in a row open it for
 * {@code ferry.breaker.delay} (values set by {@code FrameworkConfigSourceFactory}); then one trial
 * record goes through ({@code successThreshold = 1}). Permanent refusals are the record's fault,
 * not the API's: they count as successes.
 */
@ApplicationScoped
public class GuardedSender {

    public static final String BREAKER = "ferry-api";
    /** The method whose breaker values FrameworkConfigSourceFactory sets from ferry.*. */
    public static final String FT_METHOD = "dev.ferry.delivery.GuardedSender/deliver";

    private final RecordSender sender;

    public GuardedSender(RecordSender sender) {
        this.sender = sender;
    }

    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 1.0, delay = 60_000, delayUnit = ChronoUnit.MILLIS,
            successThreshold = 1, failOn = { TransientFault.class, TimeoutException.class })
    @CircuitBreakerName(BREAKER)
    public void deliver(Delivery delivery) {
        sender.send(delivery);
    }
}
