package dev.ferry.delivery;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** {@link SerialDelivery}'s breaker and retries, at ferry's default concurrency of 8. */
public class ConcurrentDelivery implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new java.util.HashMap<>(new SerialDelivery().getConfigOverrides());
        overrides.put("ferry.delivery.concurrency", "8");
        return overrides;
    }
}
