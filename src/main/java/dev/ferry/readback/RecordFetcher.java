package dev.ferry.readback;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.CredentialsRefused;
import dev.ferry.delivery.DeliveryRateLimit;
import dev.ferry.delivery.PermanentFault;
import dev.ferry.delivery.RateLimiter;
import dev.ferry.delivery.TransientFault;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Reads one record back ({@code ferry verify}, and a run's reconciliation of ambiguous deliveries: both share this
 * one pace), retrying transient faults ({@link ReadBackRetry}; the count is set from
 * {@code ferry.retry.max-retries} by {@code FrameworkConfigSourceFactory}). Every attempt, retries included, waits
 * for its turn at {@code ferry.verify.rate} first, outside the attempt's timeout ({@link ReadAttempt}).
 */
@ApplicationScoped
public class RecordFetcher {

    /** The method whose retry values FrameworkConfigSourceFactory sets from ferry.*. */
    public static final String FT_METHOD = "dev.ferry.readback.RecordFetcher/fetch";
    /** The method whose timeout FrameworkConfigSourceFactory sets from ferry.request.timeout. */
    public static final String FT_ATTEMPT_METHOD = "dev.ferry.readback.ReadAttempt/get";

    private final ReadAttempt attempt;
    private final RateLimiter rate;

    public RecordFetcher(ReadAttempt attempt, FerryConfig config) {
        this.attempt = attempt;
        this.rate = RateLimiter.of(config.verify().rate() * DeliveryRateLimit.MARGIN);
    }

    /**
     * @return the stored record (a text node saying so when the answer is not JSON), or null when the API answers 404
     * @throws TransientFault     retries exhausted
     * @throws CredentialsRefused 401/403
     * @throws PermanentFault     any other refusal
     */
    @Retry(maxRetries = 3, delay = 0, jitter = 0, maxDuration = 0)
    @CustomBackoff(ReadBackRetry.Wait.class)
    @RetryWhen(exception = ReadBackRetry.Retryable.class)
    public JsonNode fetch(URI url) throws InterruptedException {
        rate.acquire();
        try {
            return attempt.get(url, rate);
        } finally {
            rate.answered();
        }
    }

    /**
     * A new pass of read-backs ({@code ferry verify}, or a run's reconciliation of ambiguous deliveries): its first
     * answer restarts the pacing ({@link RateLimiter#startRun}).
     */
    public void startPass() {
        rate.startRun();
    }
}
