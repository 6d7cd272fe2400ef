package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.core.StopSignal;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The circuit breaker counts records that ran out of retries (threshold 5, 3 retries, delay 1 s,
 * one request at a time), pauses the reader while open, lets one trial through after the delay,
 * and outlives the process through state/breaker.json.
 */
@QuarkusTest
@TestProfile(SerialDelivery.class)
@ConnectWireMock
class BreakerTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    StopSignal stop;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void deadApi_gets20RequestsBeforeTheBreakerOpens_noneDuringTheDelay_thenOneTrialRecord() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503)));
        TestData.drop("a.ndjson", TestData.records(10));

        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(this::runOnce);
        waitForRequests(24);
        Thread.sleep(300); // the trial failed and the breaker is open again: nothing more may come
        stop.request(StopSignal.Reason.SIGTERM);
        RunReport report = running.get();

        List<Long> times = requestTimes();
        assertThat(times).as("5 records x 4 attempts, then one trial record with its 4 attempts").hasSize(24);
        long pause = times.get(20) - times.get(19);
        assertThat(pause).as("no request while the breaker is open").isGreaterThanOrEqualTo(980);
        for (int i = 1; i < 20; i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("no pause before the 20th request").isLessThan(500);
        }
        assertThat(report.breakerOpenings()).isEqualTo(2);
        assertThat(report.readerPausedSeconds()).as("a full delay, then the 300 ms before the stop").isGreaterThan(1.2);
        assertThat(report.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(report.records().failed()).isEqualTo(6);
        assertThat(TestData.entries("failed")).extracting(e -> e.get("key").asText())
                .containsExactly("r1", "r2", "r3", "r4", "r5", "r6");
        assertThat(TestData.files("processing")).as("unread records stay in their file").containsExactly("a.ndjson");
        JsonNode breaker = Json.read(Files.readString(TestData.ROOT.resolve("state/breaker.json")));
        assertThat(breaker.get("state").asText()).isEqualTo("OPEN");
    }

    @Test
    void trialThatSucceeds_closesTheBreaker_andTheNextRunReplaysFailedRecordsFirst() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503)));
        TestData.drop("a.ndjson", TestData.records(8));
        CompletableFuture<RunReport> first = CompletableFuture.supplyAsync(this::runOnce);
        waitForRequests(20);
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));

        RunReport report = first.get();

        assertThat(report.records()).isEqualTo(new RunReport.Records(8, 0, 3, 0, 0, 5, 0, 0, 0));
        assertThat(report.exitCode()).as("failed/ holds 5 records").isEqualTo(ExitCodes.WORK_LEFT);
        List<Long> times = requestTimes();
        assertThat(times.get(20) - times.get(19)).isGreaterThanOrEqualTo(980);

        wiremock.resetRequests();
        RunReport second = run.run();

        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(second.records().delivered()).isEqualTo(5);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*"))))
                .extracting(r -> r.getUrl()).containsExactly("/records/r1", "/records/r2", "/records/r3",
                        "/records/r4", "/records/r5");
        assertThat(TestData.files("failed")).isEmpty();
    }

    @Test
    void runStartingWhileTheLastBreakerIsOpen_waitsItOut_andSendsOneTrialFirst() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(150)));
        Instant trialAt = Instant.now().plusMillis(800);
        Files.createDirectories(TestData.ROOT.resolve("state"));
        Files.writeString(TestData.ROOT.resolve("state/breaker.json"),
                "{\"state\":\"OPEN\",\"openedAt\":\"" + Instant.now() + "\",\"trialAt\":\"" + trialAt + "\"}");
        TestData.drop("a.ndjson", TestData.records(3));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        List<Long> times = requestTimes();
        assertThat(times.get(0)).as("nothing before the carried-over trial time").isGreaterThanOrEqualTo(trialAt.toEpochMilli() - 5);
        assertThat(report.readerPausedSeconds()).isGreaterThan(0.6);
        JsonNode breaker = Json.read(Files.readString(TestData.ROOT.resolve("state/breaker.json")));
        assertThat(breaker.get("state").asText()).isEqualTo("CLOSED");
    }

    @Test
    void carriedOverTrialThatFails_opensTheBreakerForAFullDelay() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503)));
        Files.createDirectories(TestData.ROOT.resolve("state"));
        Files.writeString(TestData.ROOT.resolve("state/breaker.json"),
                "{\"state\":\"OPEN\",\"openedAt\":\"" + Instant.now() + "\",\"trialAt\":\"" + Instant.now() + "\"}");
        TestData.drop("a.ndjson", TestData.records(3));

        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(this::runOnce);
        waitForRequests(8);
        Thread.sleep(300);
        stop.request(StopSignal.Reason.SIGTERM);
        RunReport report = running.get();

        List<Long> times = requestTimes();
        assertThat(times).as("one trial record (4 attempts), then a full delay, then the next trial").hasSize(8);
        assertThat(times.get(4) - times.get(3)).isGreaterThanOrEqualTo(980);
        assertThat(report.breakerOpenings()).isEqualTo(2);
        assertThat(report.records().failed()).isEqualTo(2);
    }

    @Test
    void tooManyRequests_withRetryAfter_waitsAtLeastRetryAfter() throws Exception {
        wiremock.register(put(urlEqualTo("/records/r1")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        wiremock.register(put(urlEqualTo("/records/r1")).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", TestData.records(1));

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(1);
        List<Long> times = requestTimes();
        assertThat(times).hasSize(2);
        assertThat(times.get(1) - times.get(0)).isBetween(1000L, 1800L);
    }

    private RunReport runOnce() {
        try {
            return run.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitForRequests(int count) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000; // a bound for a slow machine, not a timing check
        while (requestTimes().size() < count && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertThat(requestTimes()).hasSizeGreaterThanOrEqualTo(count);
    }

    private List<Long> requestTimes() {
        return TestData.arrivals(wiremock, putRequestedFor(urlPathMatching("/records/.*")));
    }
}
