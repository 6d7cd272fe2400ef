package dev.ferry.delivery;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One request at a time, so request counts are exact; a breaker delay long enough to measure; no
 * retry budget (it would cut the 5th record's retries short against a dead API, see RetryBudgetTest).
 */
public class SerialDelivery implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ferry.delivery.concurrency", "1",
                "ferry.retry.max-retries", "3",
                "ferry.breaker.failure-threshold", "5",
                "ferry.breaker.delay", "1s",
                "ferry.retry.max-delay", "2s",
                "ferry.retry.budget", "-1");
    }
}
