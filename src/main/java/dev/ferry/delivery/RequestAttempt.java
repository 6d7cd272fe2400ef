package dev.ferry.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.RequestResult;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.target.TargetConnection;
import dev.ferry.target.auth.Credentials;

/**
 * One request of a delivery: sent through the REST client, its answer classified, counted, audited, and fed to
 * the adaptive concurrency.
 */
@ApplicationScoped
public class RequestAttempt {

    /** The method whose timeout FrameworkConfigSourceFactory sets from ferry.request.timeout. */
    public static final String FT_METHOD = "dev.ferry.delivery.RequestAttempt/send";

    private final ExternalApi api;
    private final FaultClassifier classifier;
    private final FerryMetrics metrics;
    private final AdaptiveConcurrency concurrency;
    private final AuditLog audit;
    private final Clock clock;
    private final FerryConfig.HttpMethod method;
    private final Credentials credentials;
    private final RateLimiter rateLimit;
    private final BodyDeadline bodies;
    private final Duration timeout;

    public RequestAttempt(@RestClient ExternalApi api, FaultClassifier classifier, FerryMetrics metrics,
            AdaptiveConcurrency concurrency, AuditLog audit, Clock clock, FerryConfig config, TargetConnection target,
            RateLimiter rateLimit, BodyDeadline bodies) {
        this.api = api;
        this.classifier = classifier;
        this.metrics = metrics;
        this.concurrency = concurrency;
        this.audit = audit;
        this.clock = clock;
        this.method = config.target().method();
        this.credentials = target.credentials();
        this.rateLimit = rateLimit;
        this.bodies = bodies;
        this.timeout = config.request().timeout();
    }

    /**
     * {@code @Timeout}: one attempt may not take much longer than {@code ferry.request.timeout} (+1 s), even when the
     * server trickles its answer past the client's own timeouts (which come first and close the connection). An
     * error answer's body is read until {@code ferry.request.timeout} after the request went out, and no longer: the
     * status that arrived decides what the answer means, however slowly its body trickles.
     *
     * @throws TransientFault    no answer, or a status of {@code ferry.retry.on-status}
     * @throws PermanentFault    the API refused the record for good
     * @throws CredentialsRefused 401/403
     */
    @Timeout(value = 10_000, unit = ChronoUnit.MILLIS)
    public void send(Delivery delivery) {
        delivery.attemptStarted();
        long generation = concurrency.generation();
        Instant started = clock.instant();
        rateLimit.sent();
        Response response;
        try {
            response = classifier.send(credentials, () -> call(delivery)); // a 401 renews an OAuth2 token once
        } catch (TransientFault tokenEndpoint) {
            concurrency.answered(generation, 0);
            ended(delivery, started, tokenEndpoint.result(), 0, tokenEndpoint);
            throw tokenEndpoint;
        } catch (ProcessingException | IllegalStateException e) {
            concurrency.answered(generation, 0);
            TransientFault fault = classifier.noAnswer(e);
            ended(delivery, started, fault.result(), 0, fault);
            throw fault;
        }
        try (response) {
            concurrency.answered(generation, response.getStatus());
            ended(delivery, started, RequestResult.ofStatus(response.getStatus()), response.getStatus(), null);
            Instant deadline = started.plus(timeout);
            Function<Response, Optional<String>> body = answer -> bodies.excerpt(answer, deadline);
            if (delivery.record().deletes()) {
                classifier.checkDelete(response, credentials, body);
            } else {
                classifier.checkDelivery(response, credentials, body);
            }
        } catch (TransientFault | PermanentFault fault) {
            delivery.failed(fault);
            throw fault;
        }
    }

    private void ended(Delivery delivery, Instant started, RequestResult result, int status, TransientFault fault) {
        Duration latency = Duration.between(started, clock.instant());
        metrics.requestDone(result, latency);
        audit.attempt(delivery, status, fault, latency);
        if (fault != null) {
            delivery.failed(fault);
        }
    }

    private Response call(Delivery delivery) {
        String key = delivery.record().idempotencyKey();
        if (delivery.record().deletes()) {
            return api.delete(delivery.url(), key);
        }
        return switch (method) {
            case PUT -> api.put(delivery.url(), key, delivery.body());
            case POST -> api.post(delivery.url(), key, delivery.body());
            case PATCH -> api.patch(delivery.url(), key, delivery.body());
        };
    }
}
