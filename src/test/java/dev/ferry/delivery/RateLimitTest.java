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

/** ferry.delivery.rate-limit: 20 requests/s at most with 8 in flight; nothing fails for it. */
@QuarkusTest
@TestProfile(RateLimitTest.TwentyPerSecond.class)
@ConnectWireMock
class RateLimitTest {

    public static class TwentyPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.delivery.rate-limit", "20", "ferry.delivery.concurrency", "8");
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
    void requests_neverExceedTheRate_andAllAreDelivered() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", TestData.records(41));

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(41);
        List<Long> times = TestData.arrivals(wiremock, putRequestedFor(urlPathMatching("/records/.*")));
        assertThat(times.get(40) - times.get(0)).as("40 gaps of 50 ms: %s", times).isGreaterThanOrEqualTo(1900);
        for (int i = 0; i + 21 < times.size(); i++) {
            assertThat(times.get(i + 21) - times.get(i)).as("never 22 requests within a second")
                    .isGreaterThanOrEqualTo(1000);
        }
    }
}
