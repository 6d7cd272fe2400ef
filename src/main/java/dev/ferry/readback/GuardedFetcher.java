package dev.ferry.readback;

import java.net.URI;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.delivery.TransientFault;
import io.smallrye.faulttolerance.api.CircuitBreakerName;

/** The read-back's circuit breaker, outside {@link RecordFetcher}'s retries, as for deliveries. */
@ApplicationScoped
public class GuardedFetcher {

    /** The method whose breaker values FrameworkConfigSourceFactory sets from ferry.*. */
    public static final String FT_METHOD = "dev.ferry.readback.GuardedFetcher/fetch";

    private final RecordFetcher fetcher;

    public GuardedFetcher(RecordFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 1.0, delay = 60_000, delayUnit = ChronoUnit.MILLIS,
            successThreshold = 1, failOn = { TransientFault.class, TimeoutException.class })
    @CircuitBreakerName("ferry-api-verify")
    public JsonNode fetch(URI url) throws InterruptedException {
        return fetcher.fetch(url);
    }
}
