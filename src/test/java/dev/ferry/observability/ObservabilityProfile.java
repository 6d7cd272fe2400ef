package dev.ferry.observability;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Audit on with redaction, fast progress lines, and pushes to the WireMock dev service standing in for a Pushgateway. */
public class ObservabilityProfile implements QuarkusTestProfile {

    static final String INSTANCE = "test-host";
    static final String SHARD = "s1";
    static final String WIREMOCK_LOG = "quarkus.log.category.\"io.quarkiverse.wiremock\".level";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ferry.log.audit", "true",
                "ferry.log.redact-fields", "id,ssn",
                "ferry.log.progress-interval", "150ms",
                "ferry.metrics.pushgateway-url", "http://localhost:${quarkus.wiremock.devservices.port}",
                "ferry.metrics.push-interval", "150ms",
                "ferry.metrics.grouping.instance", INSTANCE,
                "ferry.metrics.grouping.shard", SHARD,
                // the fake API's own request journal (it prints the headers it received) is not ferry's output
                WIREMOCK_LOG, "WARN");
    }

    /** The same, with a Pushgateway that is not there, its URL holding a user and password. */
    public static class DeadPushgateway implements QuarkusTestProfile {
        static final String PASSWORD = "push-s3cret";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ferry.metrics.pushgateway-url", "http://ops:" + PASSWORD + "@127.0.0.1:1",
                    "ferry.metrics.push-interval", "100ms",
                    WIREMOCK_LOG, "WARN");
        }
    }

    /** Pushes to WireMock as above, but no {@code ferry.target.url} (an empty value unsets the test profile's). */
    public static class NoTarget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ferry.target.url", "",
                    "ferry.metrics.pushgateway-url", "http://localhost:${quarkus.wiremock.devservices.port}",
                    "ferry.metrics.push-interval", "100ms",
                    "ferry.metrics.grouping.instance", INSTANCE,
                    WIREMOCK_LOG, "WARN");
        }
    }
}
