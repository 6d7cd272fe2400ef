package dev.ferry.target.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code ferry.target.auth=oauth2} end to end, against {@link ExpiringTokenApi}: tokens that stop working mid-run,
 * a token endpoint that is down for a while, and a client secret the endpoint no longer accepts.
 */
@QuarkusTest
@TestProfile(OAuth2DeliveryTest.Profile.class)
class OAuth2DeliveryTest {

    /**
     * The client secret from a file, the API and token endpoint of {@link ExpiringTokenApiResource}. One record at a
     * time: the API expires a token after a number of uses, not of seconds, so with requests in parallel a repeat
     * delayed on a busy machine could find its brand-new token already used up — a token that dies within
     * milliseconds, which no real API does. Requests that meet one 401 together share one renewal:
     * {@link OAuth2CredentialsTest}.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.delivery.concurrency", "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ExpiringTokenApiResource.class));
        }
    }

    WireMock wiremock;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() throws Exception {
        TestData.reset();
        wiremock.resetToDefaultMappings();
        wiremock.register(any(anyUrl()).willReturn(aResponse().withTransformers(ExpiringTokenApi.NAME)));
        wiremock.resetRequests();
        wiremock.resetScenarios();
        control("accept-secret", ExpiringTokenApi.SECRET);
    }

    @Test
    void tokensThatExpireMidRun_areRenewedOncePerExpiry_everyRecordIsDelivered_andNoTokenIsWrittenAnywhere()
            throws Exception {
        TestData.drop("warm-up.ndjson", "{\"id\":\"w\"}\n");
        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK); // ferry holds a token from here on
        wiremock.resetRequests();
        TestData.drop("a.ndjson", TestData.records(70));

        RunReport report;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            assertThat(logs.all()).doesNotContain("tok-").doesNotContain(ExpiringTokenApi.SECRET);
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(70);
        Set<String> refusedTokens = events("PUT", 401).map(e -> e.getRequest().getHeader("Authorization"))
                .collect(Collectors.toSet());
        long tokensIssued = events("POST", 200).filter(e -> e.getRequest().getUrl().startsWith("/token")).count();
        assertThat(refusedTokens).as("70 records, %d uses per token", ExpiringTokenApi.USES).hasSizeGreaterThanOrEqualTo(3);
        assertThat(tokensIssued).as("one renewal per token that expired").isEqualTo(refusedTokens.size());
        assertThat(events("PUT", 200).count()).isEqualTo(70);
        // bytes as Latin-1: every file reads, the binary delivered index too
        assertThat(filesUnder(TestData.ROOT)).allSatisfy(file -> assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                .as("%s", file).doesNotContain("tok-").doesNotContain(ExpiringTokenApi.SECRET));
    }

    @Test
    void tokenEndpointDown_thenBack_isAnOutageThatRetriesRide_andTheRecordsAreDelivered() throws Exception {
        control("forget-tokens", "");
        wiremock.register(post(urlPathEqualTo("/token")).atPriority(1).inScenario("token endpoint")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("down twice")
                .willReturn(aResponse().withStatus(503)));
        wiremock.register(post(urlPathEqualTo("/token")).atPriority(1).inScenario("token endpoint")
                .whenScenarioStateIs("down twice").willSetStateTo("up").willReturn(aResponse().withStatus(503)));
        TestData.drop("a.ndjson", TestData.records(3));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(3);
        assertThat(report.retries()).isGreaterThanOrEqualTo(2);
        assertThat(events("POST", 503)).hasSize(2);
        assertThat(events("POST", 200)).hasSize(1);
    }

    @Test
    void clientSecretNoLongerAccepted_stopsTheRunWith77_rejectingNothing() throws Exception {
        control("forget-tokens", "");
        control("accept-secret", "rotated-at-the-identity-provider");
        TestData.drop("a.ndjson", TestData.records(3));

        RunReport report;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            assertThat(logs.all()).contains("invalid_client").doesNotContain(ExpiringTokenApi.SECRET);
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REFUSED);
        assertThat(report.stopReason()).isEqualTo("CREDENTIALS_REFUSED");
        assertThat(report.records().rejected()).isZero();
        assertThat(report.records().failed()).isZero();
        assertThat(events("PUT", 200)).isEmpty();
    }

    @Test
    void tokenEndpointAnsweringWithoutEnd_isReadNoFurtherThanATokenNeeds_andStopsTheRunNamingTheProperty()
            throws Exception {
        control("forget-tokens", "");
        String endless = "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"padding\":\""
                + "x".repeat(ClientCredentialsGrant.MAX_ANSWER_BYTES) + "\"}";
        wiremock.register(post(urlPathEqualTo("/token")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(endless)));
        TestData.drop("a.ndjson", TestData.records(3));

        RunReport report;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            assertThat(logs.all()).contains("ferry.target.oauth2.token-url").contains("larger than");
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(report.records().rejected()).isZero();
        assertThat(events("PUT", 200)).isEmpty();
    }

    private Stream<ServeEvent> events(String method, int status) {
        return wiremock.getServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals(method)
                && e.getResponse().getStatus() == status);
    }

    private void control(String what, String body) throws IOException, InterruptedException {
        String base = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("ferry.target.url",
                String.class);
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/control/" + what)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).isEqualTo(204);
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
