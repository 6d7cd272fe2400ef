package dev.ferry.target.tls;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.nio.file.Path;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Two HTTPS WireMock servers with certificates from a {@link TestPki} made for the occasion: {@link #https} presents
 * a server certificate for {@code localhost}; {@link #mtls} presents the same and wants a client certificate signed by
 * the CA. Both answer 200 to anything. PEM files for ferry are in {@link #dir}: {@code ca.crt},
 * {@code client.crt}/{@code client.key}, {@code other-ca.crt} (a CA that signed nothing here).
 */
public final class TlsServers implements AutoCloseable {

    public final Path dir;
    public final WireMockServer https;
    public final WireMockServer mtls;

    public TlsServers(Path dir) {
        this.dir = dir;
        TestPki pki = TestPki.newCa("ferry test CA");
        TestPki.writeCertificate(pki.ca().certificate(), dir.resolve("ca.crt"));
        TestPki.writeCertificate(TestPki.newCa("unrelated CA").ca().certificate(), dir.resolve("other-ca.crt"));
        TestPki.Issued client = pki.client("ferry");
        TestPki.writeCertificate(client.certificate(), dir.resolve("client.crt"));
        TestPki.writeKey(client, dir.resolve("client.key"));
        Path serverStore = pki.keyStore(pki.server("localhost"), dir.resolve("server.p12"));
        Path trustStore = pki.trustStore(dir.resolve("server-trust.p12"));
        https = start(serverStore, null);
        mtls = start(serverStore, trustStore);
    }

    private static WireMockServer start(Path keyStore, Path clientTrust) {
        var options = wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(keyStore.toString()).keystoreType("PKCS12").keystorePassword(TestPki.PASSWORD)
                .keyManagerPassword(TestPki.PASSWORD);
        if (clientTrust != null) {
            options.needClientAuth(true).trustStorePath(clientTrust.toString()).trustStoreType("PKCS12")
                    .trustStorePassword(TestPki.PASSWORD);
        }
        WireMockServer server = new WireMockServer(options);
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        return server;
    }

    /** {@code https://localhost:<port>} of a server. */
    public static String url(WireMockServer server) {
        return "https://localhost:" + server.httpsPort();
    }

    @Override
    public void close() {
        https.stop();
        mtls.stop();
    }
}
