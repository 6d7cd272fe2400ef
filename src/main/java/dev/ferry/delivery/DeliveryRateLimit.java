package dev.ferry.delivery;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.ferry.config.FerryConfig;

/**
 * The rate limit of deliveries, {@code ferry.delivery.rate-limit} (unset: none), shared by all workers. Requests
 * start at 99 % of the rate: the margin (10 ms a second) keeps a few milliseconds of network jitter from
 * bunching more than the rate into one second at the API.
 */
@Singleton
class DeliveryRateLimit {

    static final double MARGIN = 0.99;

    @Produces
    @Singleton
    RateLimiter rateLimiter(FerryConfig config) {
        return config.delivery().rateLimit().isPresent()
                ? RateLimiter.of(config.delivery().rateLimit().getAsDouble() * MARGIN)
                : RateLimiter.unlimited();
    }
}
