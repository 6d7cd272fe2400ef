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
 * The retry budget ({@code ferry.retry.budget}): at most 10 + 0.5 retries per first attempt over a run. Against a dead
 * API, one request at a time, 3 retries per record: records 1–4 get their 3 retries (12 = 10 + 0.5 × 4),
 * record 5 one more, and from then on the quota grows by half a retry per record, so every other
 * record gets one retry. The bound is met exactly and never passed.
 */
@QuarkusTest
@TestProfile(RetryBudgetTest.DefaultBudget.class)
@ConnectWireMock
class RetryBudgetTest {

    public static class DefaultBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.delivery.concurrency", "1", "ferry.breaker.failure-threshold", "100");
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
    void deadApi_getsNoMoreRetriesThanTheBudget_andEveryRecordStillEndsInFailed() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503)));
        TestData.drop("a.ndjson", TestData.records(20));

        RunReport report = run.run();

        assertThat(report.retries()).isEqualTo(10 + 20 / 2);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).hasSize(20 + 20);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/r1")))).as("record 1: full retries")
                .hasSize(4);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/r6")))).as("record 6: quota spent")
                .hasSize(1);
        assertThat(report.records().failed()).isEqualTo(20);
        assertThat(TestData.entries("failed")).extracting(e -> e.get("lastError").asText())
                .last().asString().startsWith("retry budget spent");
    }
}
