package dev.ferry.target.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.core.ConfigurationError;

/**
 * {@link TargetTls} on its own: the trust it builds (the system's CAs and {@code ca-file}), the client certificate,
 * the start-up checks, and how {@link TlsRefused} reads real handshake failures (made by the JDK client with the same
 * trust and keys, against HTTPS WireMock servers with certificates generated here).
 */
class TargetTlsTest {

    static TlsServers servers;

    @BeforeAll
    static void startServers(@TempDir Path dir) {
        servers = new TlsServers(dir);
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void caFile_isTrustedBesideEverySystemCa() throws Exception {
        TargetTls tls = TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("ca.crt"))).orElseThrow();

        KeyStore trust = tls.getTrustStore();
        X509Certificate ours = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(servers.dir.resolve("ca.crt")));
        assertThat(trust.getCertificateAlias(ours)).isNotNull();
        List<X509Certificate> system = systemCas();
        assertThat(system).isNotEmpty();
        assertThat(system).allSatisfy(ca -> assertThat(trust.getCertificateAlias(ca)).isNotNull());
        assertThat(trust.size()).isEqualTo(system.size() + 1);
    }

    @Test
    void https_answers_whenItsCaIsInCaFile() throws Exception {
        TargetTls tls = TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("ca.crt"))).orElseThrow();

        assertThat(get(tls, TlsServers.url(servers.https))).isEqualTo(200);
    }

    @Test
    void https_isRefusedNamingCaFile_whenCaFileHoldsAnotherCa() throws Exception {
        TargetTls tls = TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("other-ca.crt"))).orElseThrow();

        TlsRefused refused = TlsRefused.of(catchThrowable(() -> get(tls, TlsServers.url(servers.https)))).orElseThrow();

        assertThat(refused.property()).isEqualTo("ferry.target.tls.ca-file");
        assertThat(refused.getMessage()).contains("not trusted");
    }

    @Test
    void https_isRefusedNamingVerifyHostname_whenTheCertificateNamesAnotherHost() throws Exception {
        TargetTls tls = TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("ca.crt"))).orElseThrow();
        String byAddress = "https://127.0.0.1:" + servers.https.httpsPort();

        TlsRefused refused = TlsRefused.of(catchThrowable(() -> get(tls, byAddress))).orElseThrow();

        assertThat(refused.property()).isEqualTo("ferry.target.tls.verify-hostname");
    }

    @Test
    void mtls_answers_withCertFileAndKeyFile() throws Exception {
        TargetTls tls = TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("ca.crt"))
                .client(servers.dir.resolve("client.crt"), servers.dir.resolve("client.key"))).orElseThrow();

        assertThat(tls.getKeyStore().size()).isEqualTo(1);
        assertThat(get(tls, TlsServers.url(servers.mtls))).isEqualTo(200);
    }

    @Test
    void mtls_isRefusedAsTls_withoutAClientCertificate() throws Exception {
        TargetTls tls = TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("ca.crt"))).orElseThrow();

        Throwable failure = catchThrowable(() -> get(tls, TlsServers.url(servers.mtls)));

        assertThat(TlsRefused.of(failure)).as("%s", failure).isPresent();
    }

    @Test
    void nothingSet_buildsNothing_soTheClientKeepsItsDefaults() {
        assertThat(TargetTls.of(TlsConfigs.none())).isEmpty();
        assertThat(TargetTls.of(TlsConfigs.none().hostnames(false)).orElseThrow().getHostnameVerificationAlgorithm())
                .contains("NONE");
    }

    @Test
    void certFileWithoutKeyFile_isAConfigurationError_namingKeyFile() {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                () -> TargetTls.of(TlsConfigs.none().client(servers.dir.resolve("client.crt"), null)));

        assertThat(error.property()).isEqualTo("ferry.target.tls.key-file");
    }

    @Test
    void caFileThatIsNoCertificate_orMissing_isAConfigurationError_namingCaFile(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");

        assertThat(catchThrowableOfType(ConfigurationError.class, () -> TargetTls.of(TlsConfigs.none().ca(garbage)))
                .property()).isEqualTo("ferry.target.tls.ca-file");
        assertThat(catchThrowableOfType(ConfigurationError.class,
                () -> TargetTls.of(TlsConfigs.none().ca(dir.resolve("missing.crt")))).getMessage())
                .startsWith("ferry.target.tls.ca-file: cannot read");
    }

    @Test
    void keyFileThatHoldsNoKey_isAConfigurationError_namingKeyFile() {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class, () -> TargetTls.of(TlsConfigs.none()
                .client(servers.dir.resolve("client.crt"), servers.dir.resolve("ca.crt"))));

        assertThat(error.property()).isEqualTo("ferry.target.tls.key-file");
    }

    @Test
    void connectionRefused_isNoTlsRefusal() {
        Throwable failure = catchThrowable(() -> get(TargetTls.of(TlsConfigs.none().ca(servers.dir.resolve("ca.crt")))
                .orElseThrow(), "https://localhost:1"));

        assertThat(failure).isNotNull();
        assertThat(TlsRefused.of(failure)).isEmpty();
    }

    private static int get(TargetTls tls, String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls.createSSLContext()).build();
        return client.send(HttpRequest.newBuilder(URI.create(url + "/records/x")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<X509Certificate> systemCas() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                .flatMap(m -> Arrays.stream(((X509TrustManager) m).getAcceptedIssuers())).toList();
    }
}
