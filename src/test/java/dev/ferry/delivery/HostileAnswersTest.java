package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Answers of any size or form: read up to an excerpt, Retry-After clamped, HTML refusals not rejected, credentials
 * echoed back not written anywhere.
 */
@QuarkusTest
@ConnectWireMock
class HostileAnswersTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void absurdRetryAfter_isClampedToMaxDelay_notFatal() throws Exception {
        for (String absurd : List.of("99999999999999999", "999999999999999999999999999999", "-5", "soon")) {
            TestData.reset(wiremock);
            wiremock.register(put(urlEqualTo("/records/r1")).inScenario("r").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", absurd)).willSetStateTo("ok"));
            wiremock.register(put(urlEqualTo("/records/r1")).inScenario("r").whenScenarioStateIs("ok")
                    .willReturn(aResponse().withStatus(200)));
            TestData.drop("a.ndjson", TestData.records(1));

            RunReport report = run.run();

            assertThat(report.exitCode()).as(absurd).isEqualTo(ExitCodes.OK);
            List<Long> times = TestData.arrivals(wiremock, putRequestedFor(urlEqualTo("/records/r1")));
            assertThat(times).hasSize(2);
            assertThat(times.get(1) - times.get(0)).as("at most ferry.retry.max-delay (200 ms here)").isLessThan(1000);
        }
    }

    @Test
    void clientErrorWithAnHtmlPage_isTakenForMisrouting_notRejected() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Bad Request</body></html>")));
        TestData.drop("a.ndjson", TestData.records(2));

        RunReport report = run.run();

        assertThat(report.records().rejected()).isZero();
        assertThat(report.records().failed()).isEqualTo(2);
        assertThat(TestData.entries("failed").get(0).get("lastError").asText()).contains("URL or the API is wrong");
    }

    @Test
    void successWithAnHtmlPage_isTakenForMisrouting_notDelivered_whileAPlainTextOkIsDelivered() throws Exception {
        wiremock.register(put(urlEqualTo("/records/r1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("\n<!DOCTYPE html><html><body><form action=\"/login\">Sign in</form></body></html>")));
        wiremock.register(put(urlEqualTo("/records/r2")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("OK")));
        TestData.drop("a.ndjson", TestData.records(2));

        RunReport report = run.run();

        assertThat(report.records().delivered()).as("r2: PHP's default type on a plain answer").isEqualTo(1);
        assertThat(report.records().failed()).isEqualTo(1);
        assertThat(report.records().rejected()).isZero();
        assertThat(TestData.entries("failed")).singleElement().satisfies(entry -> {
            assertThat(entry.get("key").asText()).isEqualTo("r1");
            assertThat(entry.get("lastError").asText()).contains("HTTP 200").contains("URL or the API is wrong");
        });
    }

    @Test
    void permanentRefusalWhoseBodyDripsPastTheRequestTimeout_isRejectedWithItsStatus_notRetriedAsATimeout()
            throws Exception {
        wiremock.register(put(urlEqualTo("/records/r1")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"field v is invalid\"}")
                .withChunkedDribbleDelay(8, 8000))); // a chunk a second: the client's idle timeout (3 s) never fires
        TestData.drop("a.ndjson", TestData.records(1));

        RunReport report = run.run();

        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/r1")))).hasSize(1);
        assertThat(report.requests()).containsEntry("4xx", 1L).containsEntry("timeout", 0L);
        assertThat(report.records().rejected()).isEqualTo(1);
        assertThat(TestData.entries("rejected")).singleElement().satisfies(entry -> {
            assertThat(entry.get("status").asInt()).isEqualTo(422);
            assertThat(entry.get("reason").asText()).contains("HTTP 422").contains("body")
                    .contains("ferry.request.timeout");
        });
    }

    @Test
    void errorBodiesThatEchoTheAuthorizationHeader_leaveTheTokenOutOfRejectedFailedReportsAndLogs() throws Exception {
        String echo = "{\"error\":\"no\",\"request\":{\"headers\":{\"Authorization\":\"Bearer test-secret-token-123\"}}}";
        wiremock.register(put(urlEqualTo("/records/r1")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody(echo)));
        wiremock.register(put(urlEqualTo("/records/r2")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(echo)));
        TestData.drop("a.ndjson", TestData.records(2));

        RunReport report;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            assertThat(logs.lines()).filteredOn(line -> line.logger().startsWith("dev.ferry"))
                    .allSatisfy(line -> assertThat(line.text()).doesNotContain("test-secret-token-123"));
        }

        assertThat(report.records().rejected()).isEqualTo(1);
        assertThat(report.records().failed()).isEqualTo(1);
        assertThat(TestData.entries("rejected").get(0).get("body").asText()).as("the rest of the answer is kept")
                .contains("\"error\":\"no\"").contains("\"Authorization\":\"***\"");
        try (Stream<Path> files = Files.walk(TestData.ROOT)) {
            assertThat(files.filter(Files::isRegularFile)).allSatisfy(file -> assertThat(read(file)).as(file.toString())
                    .doesNotContain("test-secret-token-123"));
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
