package dev.ferry.delivery;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.ferry.config.FerryConfig;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.core.StopSignal;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import dev.ferry.core.RequestResult;
import dev.ferry.target.TargetConnection;
import dev.ferry.target.auth.Credentials;

/**
 * Sends one record, retrying transient faults. The numbers in the annotations are placeholders:
 * {@code FrameworkConfigSourceFactory} sets them from {@code ferry.retry.max-retries} and
 * {@code ferry.request.timeout}.
 */
@ApplicationScoped
public class RecordSender {

    private final ExternalApi api;
    private final FaultClassifier classifier;
    private final RetryBudget budget;
    private final StopSignal stop;
    private final FerryMetrics metrics;
    private final FerryConfig.HttpMethod method;
    private final Credentials credentials;
    private final RequestPacer pacer;
    private final AdaptiveConcurrency concurrency;
    @Inject
    AuditLog audit; // ferry.log.audit: one line per attempt

    public RecordSender(@RestClient ExternalApi api, FaultClassifier classifier, RetryBudget budget, StopSignal stop,
            FerryMetrics metrics, AdaptiveConcurrency concurrency, FerryConfig config, TargetConnection target) {
        this.api = api;
        this.classifier = classifier;
        this.budget = budget;
        this.stop = stop;
        this.metrics = metrics;
        this.method = config.target().method();
        this.credentials = target.credentials();
        this.pacer = new RequestPacer(config.delivery().rateLimit());
        this.concurrency = concurrency;
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
        long started = System.nanoTime();
        Response response = null;
        try {
            response = classifier.send(credentials, () -> call(delivery)); // a 401 renews an OAuth2 token once
        } catch (TransientFault tokenEndpoint) {
            delivery.failed(tokenEndpoint);
            throw tokenEndpoint;
        } catch (ProcessingException | IllegalStateException e) {
            TransientFault fault = classifier.noAnswer(e);
            metrics.requestDone(fault.result(), System.nanoTime() - started);
            audit.attempt(delivery, 0, fault, started);
            delivery.failed(fault);
            throw fault;
        } finally {
            concurrency.answered(generation, response == null ? 0 : response.getStatus());
            pacer.completed();
        }
        try {
            metrics.requestDone(RequestResult.ofStatus(response.getStatus()), System.nanoTime() - started);
            audit.attempt(delivery, response.getStatus(), null, started);
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
            case PUT -> api.put(delivery.url(), key, delivery.body());
            case POST -> api.post(delivery.url(), key, delivery.body());
            case PATCH -> api.patch(delivery.url(), key, delivery.body());
        };
    }

    private static RuntimeException asTransient(RuntimeException last) {
        return last instanceof TransientFault ? last
                : new TransientFault(RequestResult.TIMEOUT, 0, null, "timeout: " + last, last);
    }
}
