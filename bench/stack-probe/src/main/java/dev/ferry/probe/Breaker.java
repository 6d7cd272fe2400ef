package dev.ferry.probe;

import java.net.URI;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

import io.smallrye.mutiny.Uni;

/** ferry's outer layer (GuardedSender's {@code @CircuitBreaker}), one bean outside {@link Attempts} as in ferry. */
@ApplicationScoped
public class Breaker {

    private final Attempts attempts;

    public Breaker(Attempts attempts) {
        this.attempts = attempts;
    }

    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 1.0, delay = 60_000, delayUnit = ChronoUnit.MILLIS,
            successThreshold = 1)
    public int deliver(URI url, String idempotencyKey, byte[] body) {
        return attempts.send(url, idempotencyKey, body);
    }

    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 1.0, delay = 60_000, delayUnit = ChronoUnit.MILLIS,
            successThreshold = 1)
    public Uni<Integer> deliverAsync(URI url, String idempotencyKey, byte[] body) {
        return attempts.sendAsync(url, idempotencyKey, body);
    }
}
