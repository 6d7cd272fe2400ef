package dev.ferry.delivery;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.ferry.config.FerryConfig;

/**
 * The rate limit of deliveries, {@code ferry.delivery.rate-limit} (unset: none), shared by all workers. Requests
 * start at {@value #MARGIN} of the rate: a request can reach the API later after its start than the next one does
 * (a thread preempted on a busy node, a garbage collection), and the margin (30 ms a second) keeps such jitter from
 * bunching more than the rate into one second at the API, while over a minute the API still sees more than 95 %.
 */
@Singleton
public class DeliveryRateLimit {

    public static final double MARGIN = 0.97;

    @Produces
    @Singleton
    RateLimiter rateLimiter(FerryConfig config) {
        return config.delivery().rateLimit().isPresent()
                ? RateLimiter.of(config.delivery().rateLimit().getAsDouble() * MARGIN)
                : RateLimiter.unlimited();
    }
}
