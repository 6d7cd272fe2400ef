package dev.ferry.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.RequestResult;
import dev.ferry.core.StopSignal;
import dev.ferry.metrics.FerryMetrics;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Sends one record, retrying transient faults. The numbers in the annotations are placeholders:
 * {@code FrameworkConfigSourceFactory} sets them from {@code ferry.retry.max-retries} and
 * {@code ferry.request.timeout}.
 */
@ApplicationScoped
public class RecordSender {

    /** The method whose fault-tolerance values FrameworkConfigSourceFactory sets from ferry.*. */
    public static final String FT_METHOD = "dev.ferry.delivery.RecordSender/send";

    private final ExternalApi api;
    private final FaultClassifier classifier;
    private final RetryBudget budget;
    private final StopSignal stop;
    private final FerryMetrics metrics;
    private final FerryConfig.HttpMethod method;
    private final String authorization;
    private final RequestPacer pacer;
    private final AdaptiveConcurrency concurrency;
    private final AuditLog audit;
    private final Clock clock;

    public RecordSender(@RestClient ExternalApi api, FaultClassifier classifier, RetryBudget budget, StopSignal stop,
            FerryMetrics metrics, AdaptiveConcurrency concurrency, AuditLog audit, Clock clock, FerryConfig config) {
        this.api = api;
        this.classifier = classifier;
        this.budget = budget;
        this.stop = stop;
        this.metrics = metrics;
        this.method = config.target().method();
        this.authorization = config.target().bearerToken().map(token -> "Bearer " + token).orElse(null);
        this.pacer = new RequestPacer(config.delivery().rateLimit());
        this.concurrency = concurrency;
        this.audit = audit;
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
     * <li>{@code @Timeout}: one attempt may not take much longer than {@code ferry.request.timeout} (+1 s), even
     * when the server trickles its answer past the client's idle timeout.</li>
     * </ul>
     *
     * @throws TransientFault    retries are exhausted (or the budget is spent)
     * @throws PermanentFault    the API refused the record for good
     * @throws CredentialsRefused 401/403
     * @throws RunStopping       the run is stopping; the record was not settled
     */
    @Retry(maxRetries = 3, delay = 0, jitter = 0, maxDuration = 0)
    @CustomBackoff(RetryAfterBackoff.class)
    @RetryWhen(exception = RetryableFault.class)
    @Timeout(value = 10_000, unit = ChronoUnit.MILLIS)
    public void send(Delivery delivery) {
        if (stop.requested()) {
            throw new RunStopping();
        }
        if (delivery.attempts() == 0) {
            budget.firstAttempt();
        } else if (!budget.tryAcquire()) {
            throw new RetryBudgetSpent((TransientFault) asTransient(delivery.lastFault()));
        } else {
            metrics.retried();
        }
        try {
            pacer.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // @Timeout or the stop: this attempt ends before it began
            throw classifier.noAnswer(e);
        }
        delivery.attemptStarted();
        long generation = concurrency.generation();
        Instant started = clock.instant();
        Response response = null;
        try {
            response = call(delivery);
        } catch (ProcessingException | IllegalStateException e) {
            TransientFault fault = classifier.noAnswer(e);
            Duration latency = Duration.between(started, clock.instant());
            metrics.requestDone(fault.result(), latency);
            audit.attempt(delivery, 0, fault, latency);
            delivery.failed(fault);
            throw fault;
        } finally {
            concurrency.answered(generation, response == null ? 0 : response.getStatus());
            pacer.completed();
        }
        try {
            Duration latency = Duration.between(started, clock.instant());
            metrics.requestDone(RequestResult.ofStatus(response.getStatus()), latency);
            audit.attempt(delivery, response.getStatus(), null, latency);
            classifier.check(response);
        } catch (TransientFault | PermanentFault fault) {
            delivery.failed(fault);
            throw fault;
        } finally {
            response.close();
        }
    }

    private Response call(Delivery delivery) {
        String key = delivery.record().idempotencyKey();
        return switch (method) {
            case PUT -> api.put(delivery.url(), key, authorization, delivery.body());
            case POST -> api.post(delivery.url(), key, authorization, delivery.body());
            case PATCH -> api.patch(delivery.url(), key, authorization, delivery.body());
        };
    }

    private static RuntimeException asTransient(RuntimeException last) {
        return last instanceof TransientFault ? last
                : new TransientFault(RequestResult.TIMEOUT, 0, null, "timeout: " + last, last);
    }
}
