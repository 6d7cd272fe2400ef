package dev.ferry.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.ferry.observability.ObservabilityRunTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.TestData;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import picocli.CommandLine;

/**
 * A run that stops with exit 78 before it starts ({@code ferry.target.url} unset) still pushes once, so the
 * Pushgateway shows a job that runs and does not succeed instead of one that has gone quiet.
 */
@QuarkusTest
@TestProfile(ObservabilityProfile.NoTarget.class)
@ConnectWireMock
class ObservabilityConfigErrorTest {

    static final String PUSH_PATH = "/metrics/job/ferry/instance/" + ObservabilityProfile.INSTANCE;
    static final long LAST_SUCCESS = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    CommandLine commandLine;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
        wiremock.register(any(urlPathMatching("/metrics/job/.*")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void targetUrlUnset_exits78NamingTheProperty_andPushesOnceWithTheLastRunAndKeptValues() throws Exception {
        // what earlier runs left: a report of a run that exited 0, and two records waiting in failed/
        Files.createDirectories(TestData.ROOT.resolve("reports"));
        Files.writeString(TestData.ROOT.resolve("reports/20260101T000000.000Z-0001.json"),
                "{\"endedAt\":\"2026-01-01T00:00:00Z\",\"exitCode\":0,\"skipped\":false}");
        Files.createDirectories(TestData.ROOT.resolve("failed"));
        Files.writeString(TestData.ROOT.resolve("failed/20260101T000000.000Z-0001.ndjson"), "{}\n{}\n");
        TestData.drop("a.ndjson", "{\"id\":\"k1\"}\n");
        long before = Instant.now().getEpochSecond();

        ConfigurationError error = catchThrowableOfType(ConfigurationError.class, run::run);

        long after = Instant.now().getEpochSecond() + 1;
        assertThat(error).as("the run stops with a configuration error").isNotNull();
        assertThat(error.property()).isEqualTo("ferry.target.url");
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.getExecutionExceptionHandler().handleExecutionException(error, commandLine, null);
        assertThat(exitCode).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("configuration error: ferry.target.url");

        List<LoggedRequest> pushes = wiremock.find(putRequestedFor(urlPathEqualTo(PUSH_PATH)));
        assertThat(pushes).as("one push, at the exit").hasSize(1);
        assertThat(wiremock.find(anyRequestedFor(urlPathMatching(".*")))).as("nothing else: no record was sent")
                .hasSize(1);
        String body = pushes.get(0).getBodyAsString();
        assertThat(value(body, "ferry_last_run_timestamp_seconds")).as("the run that just ended")
                .isBetween((double) before, (double) after);
        assertThat(value(body, "ferry_last_success_timestamp_seconds")).as("kept from reports/, not reset to 0")
                .isEqualTo(LAST_SUCCESS);
        assertThat(value(body, "ferry_failed_backlog_records")).as("the backlog is still there").isEqualTo(2);
        assertThat(value(body, "ferry_run_duration_seconds")).isBetween(0.0, 5.0);
        assertThat(value(body, "ferry_records_total\\{outcome=\"delivered\",?\\}")).isZero();
        assertThat(TestData.files("inbox")).as("input untouched").containsExactly("a.ndjson");
    }
}
