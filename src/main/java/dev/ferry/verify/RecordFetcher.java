package dev.ferry.verify;

import java.net.URI;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.delivery.ExternalApi;
import dev.ferry.delivery.FaultClassifier;
import dev.ferry.delivery.PermanentFault;
import dev.ferry.delivery.RetryAfterBackoff;
import dev.ferry.delivery.RetryableFault;
import dev.ferry.core.Json;
import dev.ferry.target.TargetConnection;
import dev.ferry.target.auth.Credentials;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Reads one record back, with the same retry policy as a delivery (values set from {@code ferry.*}
 * by {@code FrameworkConfigSourceFactory}).
 */
@ApplicationScoped
public class RecordFetcher {

    private final ExternalApi api;
    private final FaultClassifier classifier;
    private final Credentials credentials;

    public RecordFetcher(@RestClient ExternalApi api, FaultClassifier classifier, TargetConnection target) {
        this.api = api;
        this.classifier = classifier;
        this.credentials = target.credentials();
    }

    /**
     * @return the stored record, or null when the API answers 404
     * @throws dev.ferry.delivery.TransientFault     retries exhausted
     * @throws dev.ferry.delivery.CredentialsRefused 401/403
     * @throws PermanentFault                        any other refusal
     */
    @Retry(maxRetries = 3, delay = 0, jitter = 0, maxDuration = 0)
    @CustomBackoff(RetryAfterBackoff.class)
    @RetryWhen(exception = RetryableFault.class)
    @Timeout(value = 10_000, unit = ChronoUnit.MILLIS)
    public JsonNode fetch(URI url) {
        Response response;
        try {
            response = classifier.send(credentials, () -> api.get(url)); // the same auth as deliveries
        } catch (ProcessingException | IllegalStateException e) {
            throw classifier.noAnswer(e);
        }
        try (response) {
            if (response.getStatus() == 404) {
                return null;
            }
            classifier.check(response);
            return Json.read(response.readEntity(String.class));
        }
    }
}
