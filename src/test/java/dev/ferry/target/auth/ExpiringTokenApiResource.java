package dev.ferry.target.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a WireMock server with the {@link ExpiringTokenApi} extension and points {@code ferry.target.*} at it, in
 * oauth2 mode, the client secret in a file (as a mounted Kubernetes Secret would be). Injects a {@link WireMock}
 * client for it into the test's {@code WireMock} field.
 */
public class ExpiringTokenApiResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new ExpiringTokenApi()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(ExpiringTokenApi.NAME)));
        Path secret;
        try {
            secret = Files.createTempFile("ferry-client-secret", "");
            Files.writeString(secret, ExpiringTokenApi.SECRET + "\n"); // as `kubectl create secret --from-file` keeps it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = "http://127.0.0.1:" + server.port();
        return Map.of(
                "ferry.target.url", base,
                "ferry.target.auth", "oauth2",
                "ferry.target.oauth2.token-url", base + "/token",
                "ferry.target.oauth2.client-id", ExpiringTokenApi.CLIENT_ID,
                "ferry.target.oauth2.client-secret-file", secret.toString(),
                "ferry.target.oauth2.scope", "records:write");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new WireMock("127.0.0.1", server.port()),
                new TestInjector.MatchesType(WireMock.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
