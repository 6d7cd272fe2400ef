package dev.ferry.delivery;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.ferry.config.FerryConfig;

/**
 * The rate limit of deliveries, {@code ferry.delivery.rate-limit} (unset: none), shared by all workers. Requests
 * start at {@value #MARGIN} of the rate: between the moment a request goes out and the moment the API stamps it,
 * the client's event loop, the network and the server's threads add a delay that varies (up to 19 ms measured on a
 * busy two-core machine), so the first of 21 requests can be stamped late and the 21st early. The margin (20 ms a
 * second) keeps that jitter from bunching more than the rate into one second at the API.
 * Shards ({@code ferry.shard.count}) split the rate evenly: together they stay within the rate the API was promised.
 */
@Singleton
public class DeliveryRateLimit {

    public static final double MARGIN = 0.98;

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
