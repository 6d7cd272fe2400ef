package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each fault an API can answer with (docs/reference.md, What an answer means) against a WireMock API: what is retried,
 * what is not, and how often. Test profile: 3 retries, backoff 20 ms doubling up to 200 ms, jitter 5 ms, request
 * timeout 3 s (a busy machine can take more than 1 s over a cold first request).
 */
@QuarkusTest
@ConnectWireMock
class DeliveryFaultsTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 503, 504 })
    void transientStatus_isRetriedWithTheSameIdempotencyKey_untilDelivered(int status) throws Exception {
        failTwiceThen(aResponse().withStatus(status), aResponse().withStatus(200));
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"v\":1}\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(1);
        assertThat(report.retries()).isEqualTo(2);
        List<LoggedRequest> requests = wiremock.find(putRequestedFor(urlEqualTo("/records/k1")));
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(
                requests.get(0).getHeader("Idempotency-Key"));
        assertThat(TestData.files("done")).containsExactly("a.ndjson");
    }

    @Test
    void transientFault_outlastingTheRetries_goesToFailedWithItsIdempotencyKey() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503).withBody("down")));
        TestData.drop("a.csv", "id,v\nk1,x\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/k1")))).hasSize(4);
        List<JsonNode> failed = TestData.entries("failed");
        assertThat(failed).hasSize(1);
        JsonNode entry = failed.get(0);
        assertThat(entry.get("key").asText()).isEqualTo("k1");
        assertThat(entry.get("attempts").asInt()).isEqualTo(4);
        assertThat(entry.get("source").asText()).isEqualTo("a.csv:2");
        assertThat(entry.get("lastError").asText()).contains("503");
        assertThat(entry.get("record").toString()).isEqualTo("{\"id\":\"k1\",\"v\":\"x\"}");
        assertThat(entry.get("idempotencyKey").asText())
                .isEqualTo(expectedKey("k1", "{\"id\":\"k1\",\"v\":\"x\"}", report.runId() + ".1:2"));
        assertThat(entry.has("failedAt")).isTrue();
        assertThat(TestData.files("done")).containsExactly("a.csv");
    }

    @Test
    void backoff_doublesFromTheInitialDelay_onTheRequestJournalsTimestamps() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(500)));
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n");

        run.run();

        List<Long> times = TestData.arrivals(wiremock, putRequestedFor(urlEqualTo("/records/k1")));
        assertThat(times).hasSize(4);
        long[] expected = { 20, 40, 80 }; // initial-delay 20 ms, factor 2, jitter up to 5 ms
        for (int i = 0; i < 3; i++) {
            long gap = times.get(i + 1) - times.get(i);
            assertThat(gap).as("wait before retry %d", i + 1).isBetween(expected[i], expected[i] + 5 + 120);
        }
    }

    @Test
    void tooManyRequests_withRetryAfterAboveMaxDelay_waitsMaxDelay() throws Exception {
        failTwiceThen(aResponse().withStatus(429).withHeader("Retry-After", "30"), aResponse().withStatus(200));
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n");

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(1);
        List<Long> times = times("/records/k1");
        assertThat(times.get(1) - times.get(0)).as("Retry-After 30 s capped by max-delay 200 ms").isBetween(195L, 400L);
    }

    @Test
    void tooManyRequests_withoutRetryAfter_usesTheBackoff() throws Exception {
        failTwiceThen(aResponse().withStatus(429), aResponse().withStatus(204));
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n");

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(1);
        assertThat(report.requests()).containsEntry("4xx", 2L).containsEntry("2xx", 1L);
        List<Long> times = times("/records/k1");
        assertThat(times.get(1) - times.get(0)).isBetween(20L, 150L);
    }

    @Test
    void slowAnswer_timesOut_andIsRetried() throws Exception {
        failTwiceThen(aResponse().withStatus(200).withFixedDelay(3500), aResponse().withStatus(200));
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n");

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(1);
        assertThat(report.requests()).containsEntry("timeout", 2L).containsEntry("2xx", 1L);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/k1")))).hasSize(3);
    }

    @Test
    void connectionReset_isRetried() throws Exception {
        failTwiceThen(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withStatus(201));
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n");

        RunReport report = run.run();

        assertThat(report.records().delivered()).isEqualTo(1);
        assertThat(report.requests()).containsEntry("connection", 2L);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/k1")))).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 409, 422 }) // a 404 is routing-type: HostileApiTest
    void permanentStatus_isRejectedAfterOneRequest_withStatusAndBodyExcerpt(int status) throws Exception {
        wiremock.register(put(urlEqualTo("/records/bad")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"field v is invalid\"}")));
        wiremock.register(put(urlEqualTo("/records/good")).willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", "{\"id\":\"bad\",\"v\":-1}\n{\"id\":\"good\",\"v\":1}\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().rejected()).isEqualTo(1);
        assertThat(report.records().delivered()).isEqualTo(1);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/bad")))).hasSize(1);
        List<JsonNode> rejected = TestData.entries("rejected");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("status").asInt()).isEqualTo(status);
        assertThat(rejected.get(0).get("body").asText()).contains("field v is invalid");
        assertThat(rejected.get(0).get("source").asText()).isEqualTo("a.ndjson:1");
        assertThat(rejected.get(0).get("record").get("v").asInt()).isEqualTo(-1);
        assertThat(TestData.files("failed")).isEmpty();
    }

    @Test
    void request_carriesTheRecordAsJson_theIdempotencyKey_theToken_andAnEncodedKey() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", "{\"id\":\"a b/ü\",\"b\":2,\"a\":1.50}\n");

        RunReport report = run.run();

        List<LoggedRequest> requests = wiremock.find(putRequestedFor(urlEqualTo("/records/a%20b%2F%C3%BC")));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer test-secret-token-123");
        assertThat(request.getBodyAsString()).isEqualTo("{\"id\":\"a b/ü\",\"b\":2,\"a\":1.50}");
        assertThat(request.getHeader("Idempotency-Key"))
                .as("the first claim of the run, line 1")
                .isEqualTo(expectedKey("a b/ü", "{\"a\":1.50,\"b\":2,\"id\":\"a b/ü\"}", report.runId() + ".1:1"));
    }

    @Test
    void unparseableLines_areRejectedWithFileAndLine_andTheRestIsDelivered() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop("a.csv", "id,v\n1,a\n2,b,c\n,nokey\n3,d\n");
        TestData.drop("b.ndjson", "");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records()).isEqualTo(new RunReport.Records(5, 0, 2, 0, 0, 0, 3, 0, 0));
        assertThat(TestData.entries("rejected")).extracting(e -> e.get("source").asText())
                .containsExactly("a.csv:3", "a.csv:4", "b.ndjson:1");
        assertThat(TestData.entries("rejected")).extracting(e -> e.get("input").asText())
                .containsExactly("2,b,c", ",nokey", "");
        assertThat(TestData.files("done")).containsExactly("a.csv", "b.ndjson");
    }

    @Test
    void laterRecordOfAFailedKey_followsItIntoFailed_andIsNotSent_thenTheReplayKeepsTheirOrder() throws Exception {
        TestData.drop("a.ndjson", "{\"id\":\"k\",\"v\":1}\n{\"id\":\"other\",\"v\":1}\n");
        TestData.drop("b.ndjson", "{\"id\":\"k\",\"v\":2}\n");
        wiremock.register(put(urlEqualTo("/records/k")).withRequestBody(equalToJson("{\"id\":\"k\",\"v\":1}"))
                .willReturn(aResponse().withStatus(503)));
        wiremock.register(put(urlEqualTo("/records/other")).willReturn(aResponse().withStatus(200)));

        RunReport first = run.run();
        String v1 = expectedKey("k", "{\"id\":\"k\",\"v\":1}", first.runId() + ".1:1"); // a.ndjson, line 1
        String v2 = expectedKey("k", "{\"id\":\"k\",\"v\":2}", first.runId() + ".2:1"); // b.ndjson, line 1

        assertThat(first.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/k")).withHeader("Idempotency-Key", equalTo(v2))))
                .as("v2 must not overtake the failed v1").isEmpty();
        assertThat(TestData.entries("failed")).extracting(e -> e.get("idempotencyKey").asText()).containsExactly(v1, v2);
        assertThat(TestData.entries("failed").get(1).get("attempts").asInt()).isZero();

        wiremock.resetRequests();
        wiremock.register(put(urlEqualTo("/records/k")).willReturn(aResponse().withStatus(200)));
        RunReport second = run.run();

        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(second.records().delivered()).isEqualTo(2);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/k")))).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsExactly(v1, v2);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/k")).withRequestBody(equalToJson("{\"id\":\"k\",\"v\":2}"))))
                .hasSize(1);
        assertThat(TestData.files("failed")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = { 401, 403 })
    void refusedCredentials_stopTheRunAtOnce_rejectNothing_andExit77(int status) throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(status)));
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n{\"id\":\"k2\"}\n{\"id\":\"k3\"}\n");
        TestData.drop("b.ndjson", "{\"id\":\"k4\"}\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REFUSED);
        assertThat(report.stopReason()).isEqualTo("CREDENTIALS_REFUSED");
        assertThat(report.records().rejected()).isZero();
        assertThat(report.records().failed()).isZero();
        assertThat(TestData.files("rejected")).isEmpty();
        assertThat(TestData.files("failed")).isEmpty();
        assertThat(TestData.files("processing")).containsExactly("a.ndjson");
        assertThat(TestData.files("inbox")).containsExactly("b.ndjson");
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).hasSizeLessThanOrEqualTo(3);

        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        RunReport next = run.run();
        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(next.records().delivered()).isEqualTo(4);
    }

    private void failTwiceThen(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure,
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder success) {
        wiremock.register(put(urlPathMatching("/records/.*")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(failure).willSetStateTo("failed once"));
        wiremock.register(put(urlPathMatching("/records/.*")).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(failure).willSetStateTo("failed twice"));
        wiremock.register(put(urlPathMatching("/records/.*")).inScenario("flaky").whenScenarioStateIs("failed twice")
                .willReturn(success));
    }

    private List<Long> times(String url) {
        return TestData.arrivals(wiremock, putRequestedFor(urlEqualTo(url)));
    }

    /** The recipe of docs/reference.md written out: SHA-256 of key, newline, canonical JSON, newline, claim id:line. */
    static String expectedKey(String key, String canonicalJson, String origin) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(sha256.digest((key + "\n" + canonicalJson + "\n" + origin)
                .getBytes(StandardCharsets.UTF_8)));
    }
}
