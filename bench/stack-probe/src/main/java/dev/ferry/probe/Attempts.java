package dev.ferry.probe;

import java.net.URI;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.mutiny.Uni;

/**
 * ferry's inner layer (RecordSender's {@code @Retry} around RequestAttempt's {@code @Timeout}) on one method each
 * way: the probe measures the interceptors' cost, not ferry's split of them over two beans.
 */
@ApplicationScoped
public class Attempts {

    private final Api api;

    public Attempts(@RestClient Api api) {
        this.api = api;
    }

    @Retry(maxRetries = 3, delay = 0, jitter = 0, maxDuration = 0)
    @Timeout(value = 11_000, unit = ChronoUnit.MILLIS)
    public int send(URI url, String idempotencyKey, byte[] body) {
        return sendBare(url, idempotencyKey, body);
    }

    @Retry(maxRetries = 3, delay = 0, jitter = 0, maxDuration = 0)
    @Timeout(value = 11_000, unit = ChronoUnit.MILLIS)
    public Uni<Integer> sendAsync(URI url, String idempotencyKey, byte[] body) {
        return sendBareAsync(url, idempotencyKey, body);
    }

    /** Blocking, without fault tolerance: the REST client alone. */
    public int sendBare(URI url, String idempotencyKey, byte[] body) {
        try (Response response = api.put(url, idempotencyKey, body)) {
            return checked(response.getStatus());
        }
    }

    /** Non-blocking, without fault tolerance: the REST client alone. */
    public Uni<Integer> sendBareAsync(URI url, String idempotencyKey, byte[] body) {
        return api.putAsync(url, idempotencyKey, body).map(response -> {
            try (response) {
                return checked(response.getStatus());
            }
        });
    }

    private static int checked(int status) {
        if (status >= 500) {
            throw new IllegalStateException("HTTP " + status);
        }
        return status;
    }
}
