package dev.ferry.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Outcome;
import dev.ferry.delivery.AuditLog;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.PushgatewayPusher;
import dev.ferry.run.FerryRun;
import dev.ferry.run.ProgressReporter;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What a run shows operators ({@link ObservabilityProfile}): the audit trail without secrets, progress
 * lines, and the metrics pushed to a Pushgateway (WireMock answering its API).
 */
@QuarkusTest
@TestProfile(ObservabilityProfile.class)
@ConnectWireMock
class ObservabilityRunTest {

    static final String TOKEN = "test-secret-token-123"; // %test.ferry.target.bearer-token
    static final String PUSH_PATH = "/metrics/job/ferry/instance/" + ObservabilityProfile.INSTANCE + "/shard/"
            + ObservabilityProfile.SHARD;

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    FerryMetrics metrics;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
        wiremock.register(any(urlPathMatching("/metrics/job/.*")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void auditOn_logsEveryAttemptWithItsIdempotencyKey_neverTheTokenNorRedactedValues() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("down")).willSetStateTo("failed once"));
        wiremock.register(put(urlPathMatching("/records/.*")).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(200)));
        TestData.drop("a.ndjson", "{\"id\":\"secret-key-7\",\"ssn\":\"123-45-6789\",\"name\":\"Ann\"}\n");
        TestData.drop("b.csv", "id,ssn,name\nsecret-key-8,987-65-4321,Bob\n");

        RunReport report;
        String all;
        List<LogCapture.Line> audit;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            all = logs.all();
            audit = logs.of(AuditLog.CATEGORY);
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(2);
        List<LoggedRequest> requests = wiremock.find(putRequestedFor(urlPathMatching("/records/.*")));
        assertThat(requests).hasSize(3); // one 503, retried once, then two 200s
        assertThat(requests).allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));

        assertThat(all).doesNotContain(TOKEN, "Bearer", "Authorization", "123-45-6789", "987-65-4321", "secret-key-7",
                "secret-key-8");
        assertThat(audit).hasSize(3);
        for (LoggedRequest request : requests) {
            String key = request.getHeader("Idempotency-Key");
            assertThat(audit).as("audit line of %s", key).anySatisfy(line -> assertThat(line.text())
                    .contains("idempotencyKey=" + key).contains("method=PUT").contains("path=/records/***"));
        }
        assertThat(audit).extracting(LogCapture.Line::text)
                .anySatisfy(text -> assertThat(text).contains("status=503").contains("attempt=1"))
                .anySatisfy(text -> assertThat(text).contains("status=200").contains("attempt=2"))
                .allSatisfy(text -> assertThat(text).containsPattern("latencyMs=\\d+").containsPattern("source=[ab]\\."));
    }

    @Test
    void pushgatewaySet_pushesTheRegistryPeriodicallyAndAtTheEnd_underTheGroupingLabels() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(500)));
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"v\":1}\n{\"id\":\"k2\",\"v\":2}\n");

        RunReport report;
        List<LogCapture.Line> progress;
        List<LogCapture.Line> pushWarnings;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            progress = logs.of(ProgressReporter.class.getName());
            pushWarnings = logs.of(PushgatewayPusher.class.getName());
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        List<LoggedRequest> pushes = wiremock.find(putRequestedFor(urlPathEqualTo(PUSH_PATH)));
        assertThat(pushes).as("periodic pushes (every 150 ms of a 500+ ms run) and the final one").hasSizeGreaterThan(2);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/metrics/.*")))).hasSameSizeAs(pushes);
        assertThat(pushWarnings).isEmpty();

        String last = pushes.get(pushes.size() - 1).getBodyAsString();
        assertThat(value(last, "ferry_records_total\\{outcome=\"delivered\",?\\}"))
                .as("the final push carries the run's end").isEqualTo((double) metrics.run().records(Outcome.DELIVERED));
        assertThat(last).contains("ferry_requests_total{result=\"2xx\"", "ferry_retries_total",
                "ferry_breaker_state", "ferry_request_duration_seconds_bucket", "ferry_failed_backlog_records",
                "ferry_run_duration_seconds", "ferry_last_success_timestamp_seconds", "ft_");
        assertThat(value(last, "ferry_last_run_timestamp_seconds")).isGreaterThan(0);
        String first = pushes.get(0).getBodyAsString();
        assertThat(value(first, "ferry_last_run_timestamp_seconds")).as("a push made during the run")
                .isLessThan(value(last, "ferry_last_run_timestamp_seconds"));

        assertThat(progress).isNotEmpty();
        assertThat(progress.get(0).text()).containsPattern("progress: [0-9.]+ records/s; settled \\d+ \\(delivered \\d+, "
                + "unchanged \\d+, failed \\d+, rejected \\d+\\); deleted \\d+; requests \\d+, retries \\d+; "
                + "breaker closed; failed backlog 0");
    }

    @Test
    void redactFields_rejectedRecords_logStatusAndSourceButNeverARedactedValue() throws Exception {
        wiremock.register(put(urlPathEqualTo("/records/k1")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"ssn 123-45-6789 is not valid\",\"ssn\":\"123-45-6789\","
                        + "\"errors\":[{\"field\":\"ssn\",\"rejectedValue\":\"123-45-6789\"}]}")));
        wiremock.register(put(urlPathEqualTo("/records/k2")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "text/plain").withBody("ssn 987-65-4321 is not valid")));
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"ssn\":\"123-45-6789\",\"name\":\"Ann\"}\n"
                + "{\"id\":\"k2\",\"ssn\":\"987-65-4321\"}\n"
                + "{\"id\":\"k3\",\"ssn\":secret555}\n");

        RunReport report;
        String all;
        List<String> rejected;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            all = logs.all();
            rejected = logs.of("dev.ferry.run.FileDelivery").stream().map(LogCapture.Line::text).toList();
        }

        // k2's answer is not JSON: a routing-type refusal (the URL may be wrong), so k2 waits in failed/
        assertThat(report.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(report.records().rejected()).isEqualTo(2);
        assertThat(report.records().failed()).isEqualTo(1);
        assertThat(all).doesNotContain("123-45-6789", "987-65-4321", "secret555");
        assertThat(rejected).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("rejected a.ndjson:1: HTTP 422 ")
                        .contains("\"error\":\"ssn *** is not valid\"", "\"ssn\":\"***\"",
                                "\"field\":\"ssn\"", "\"rejectedValue\":\"***\""))
                .anySatisfy(line -> assertThat(line).startsWith("rejected a.ndjson:3: malformed JSON"));
        assertThat(TestData.entries("rejected")).as("rejected/ keeps what the operator needs to fix the records")
                .extracting(entry -> entry.path("body").asText() + entry.path("input").asText())
                .anySatisfy(text -> assertThat(text).contains("\"ssn\":\"123-45-6789\""))
                .anySatisfy(text -> assertThat(text).contains("secret555"));
        assertThat(TestData.entries("failed")).singleElement()
                .satisfies(entry -> assertThat(entry.path("key").asText()).isEqualTo("k2"));
    }

    /** The value of the first sample whose name and labels match {@code series} in a text exposition. */
    static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(exposition);
        assertThat(m.find()).as("%s in the pushed exposition", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
