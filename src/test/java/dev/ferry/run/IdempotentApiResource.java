package dev.ferry.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a WireMock server with the {@link IdempotentApi} extension and points {@code ferry.target.url} at it. */
public class IdempotentApiResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;
    private final IdempotentApi api = new IdempotentApi();

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(api));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(IdempotentApi.NAME)));
        return Map.of("ferry.target.url", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(api, new TestInjector.MatchesType(IdempotentApi.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
