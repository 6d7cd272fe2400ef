package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.TestData;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * ferry.delivery.rate-limit over a minute at concurrency 8, on WireMock's request timestamps: at least 95 % of the
 * rate reaches the API, never more than the rate in any second, and nothing fails or times out for waiting.
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
    void aMinuteOfRecords_getsAtLeast95PercentOfTheRate_neverMoreInAnySecond() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", TestData.records(1201));

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(1201);
        List<Long> times = TestData.arrivals(wiremock, putRequestedFor(urlPathMatching("/records/.*")));
        assertThat(times).hasSize(1201);
        double perSecond = 1200 * 1000.0 / (times.get(1200) - times.get(0));
        assertThat(perSecond).as("requests per second over the minute").isBetween(19.0, 20.0);
        for (int i = 0; i + 20 < times.size(); i++) {
            assertThat(times.get(i + 20) - times.get(i)).as("21 requests from request %d", i)
                    .isGreaterThanOrEqualTo(1000);
        }
    }
}
