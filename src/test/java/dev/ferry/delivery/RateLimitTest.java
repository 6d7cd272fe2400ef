package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.ferry.TestData;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * ferry.delivery.rate-limit at concurrency 8, retries included, on WireMock's request timestamps: over any five
 * seconds the API never gets more than five seconds' worth, and nothing fails or times out for waiting. Each single
 * second is {@link RateLimiterTest}'s, on a fake clock: here the timestamps carry the jitter of threads and network
 * (tens of milliseconds on a busy machine), which five seconds absorb and one would not. How much of the rate a run
 * gets is a speed figure, measured by {@code bench/rate-limit.sh} (BENCHMARKS.md).
 */
@QuarkusTest
@TestProfile(RateLimitTest.TwentyPerSecond.class)
@ConnectWireMock
class RateLimitTest {

    public static class TwentyPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.delivery.rate-limit", "20", "ferry.delivery.concurrency", "8",
                    "ferry.request.timeout", "10s", "ferry.run.max-duration", "5m");
        }
    }

    WireMock wiremock;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void tenSecondsOfRecords_withARetry_neverMoreThanTheRateOverFiveSeconds() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        wiremock.register(put(urlEqualTo("/records/r5")).atPriority(1).inScenario("r5")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("answered"));
        TestData.drop("a.ndjson", TestData.records(201));

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(201);
        assertThat(report.retries()).isEqualTo(1);
        List<Long> times = TestData.arrivals(wiremock, putRequestedFor(urlPathMatching("/records/.*")));
        assertThat(times).hasSize(202);
        for (int i = 0; i + 100 < times.size(); i++) {
            assertThat(times.get(i + 100) - times.get(i)).as("101 requests from request %d", i)
                    .isGreaterThanOrEqualTo(5000);
        }
    }
}
