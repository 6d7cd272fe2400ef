package dev.ferry.delivery;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.ferry.config.FerryConfig;

/**
 * The rate limit of deliveries, {@code ferry.delivery.rate-limit} (unset: none), shared by all workers. Requests
 * start at {@value #MARGIN} of the rate: the network can bring one request later than the next, and the margin
 * (10 ms a second) keeps such jitter from bunching more than the rate into one second at the API. Shards
 * ({@code ferry.shard.count}) split it evenly: together they stay within the rate the API was promised.
 */
@Singleton
public class DeliveryRateLimit {

    public static final double MARGIN = 0.99;

    @Produces
    @Singleton
    RateLimiter rateLimiter(FerryConfig config) {
        return config.delivery().rateLimit().isPresent()
                ? RateLimiter.of(perShard(config.delivery().rateLimit().getAsDouble(), config.shard().count()))
                : RateLimiter.unlimited();
    }

    /** This process's part of {@code rate}, with the margin. */
    static double perShard(double rate, int shards) {
        return rate * MARGIN / Math.max(1, shards);
    }
}
