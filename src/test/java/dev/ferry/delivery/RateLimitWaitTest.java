package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Waiting for one's turn at the rate limit is neither a timeout nor an attempt: at 2 requests a second, 8 records in
 * delivery wait up to 4 s each for their turn, far longer than the request timeout of 1 s.
 */
@QuarkusTest
@TestProfile(RateLimitWaitTest.TwoPerSecond.class)
@ConnectWireMock
class RateLimitWaitTest {

    public static class TwoPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.delivery.rate-limit", "2", "ferry.delivery.concurrency", "8",
                    "ferry.request.timeout", "1s");
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
    void recordsWaitingLongerThanTheRequestTimeout_areSentOnceEach_noneTimesOut() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", TestData.records(16));

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(16);
        assertThat(report.retries()).as("no attempt timed out while waiting for its turn").isZero();
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).hasSize(16);
        assertThat(report.requests().get("timeout")).isZero();
    }
}
