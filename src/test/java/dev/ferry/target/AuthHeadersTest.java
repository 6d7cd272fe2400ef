package dev.ferry.target;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import dev.ferry.verify.Verifier;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What goes out with every request, end to end: an API key read from a file (with the trailing newline a Secret
 * file has), the static headers, and {@code User-Agent: ferry/<version>}; deliveries and verify's read-back alike.
 */
@QuarkusTest
@ConnectWireMock
@TestProfile(AuthHeadersTest.Profile.class)
class AuthHeadersTest {

    static final String KEY = "api-k3y-from-file";

    /** api-key mode, the key in a file; two static headers, one of them given the way an environment variable is. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path key = Files.createTempFile("ferry-api-key", "");
                Files.writeString(key, KEY + "\n");
                return Map.of(
                        "ferry.target.auth", "api-key",
                        "ferry.target.api-key.header", "X-Api-Key",
                        "ferry.target.api-key.value-file", key.toString(),
                        "ferry.target.headers.X-Tenant", "acme",
                        "ferry.target.headers.x.request.source", "ferry-batch");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    Verifier verifier;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void deliveriesAndReadBacks_carryTheApiKey_theStaticHeaders_andFerrysUserAgent() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(204)));
        wiremock.register(get(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"k1\",\"v\":1}")));
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"v\":1}\n");

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(verifier.verify(false, false, OptionalLong.empty()).exitCode()).isEqualTo(ExitCodes.OK);

        String version = ConfigProvider.getConfig().getValue("quarkus.application.version", String.class);
        for (RequestPatternBuilder sent : new RequestPatternBuilder[] { putRequestedFor(urlPathMatching("/records/k1")),
                getRequestedFor(urlPathMatching("/records/k1")) }) {
            assertThat(wiremock.find(sent.withHeader("X-Api-Key", equalTo(KEY))
                    .withHeader("X-Tenant", equalTo("acme"))
                    .withHeader("X-Request-Source", equalTo("ferry-batch"))
                    .withHeader("User-Agent", equalTo("ferry/" + version))
                    .withHeader("Authorization", absent()))).hasSize(1);
        }
    }
}
