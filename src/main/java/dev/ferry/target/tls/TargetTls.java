package dev.ferry.target.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;

/**
 * The TLS settings of the connection to the API ({@code ferry.target.tls.*}), registered in the Quarkus TLS registry
 * under {@link #NAME} for the REST clients of the API and of the token endpoint.
 * <p>
 * Built here rather than from {@code quarkus.tls.*} keys because a PEM trust store there replaces the system's CAs,
 * and {@code ca-file} is trusted in addition to them (docs/auth.md, TLS): the trust store is the JVM's default trust
 * anchors (in a native executable, those captured when it was built) plus every certificate of {@code ca-file}. Files
 * are read and checked once, at start, so that a wrong path or a file that holds no certificate or key is a
 * {@link ConfigurationError} naming the ferry property (exit 78).
 */
public final class TargetTls extends BaseTlsConfiguration {

    /** The name of this configuration in the TLS registry. */
    public static final String NAME = "ferry-target";

    private final KeyStore trustStore;
    private final TrustManagerFactory trust;
    private final PemKeyCertOptions keyCert;
    private final KeyStore keyStore;
    private final boolean verifyHostname;

    private TargetTls(KeyStore trustStore, PemKeyCertOptions keyCert, KeyStore keyStore, boolean verifyHostname)
            throws GeneralSecurityException {
        this.trustStore = trustStore;
        this.trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        this.trust.init(trustStore);
        this.keyCert = keyCert;
        this.keyStore = keyStore;
        this.verifyHostname = verifyHostname;
    }

    /**
     * The settings of {@code ferry.target.tls}, or empty when none of its files is set and hostnames are verified
     * (the REST client's defaults then apply: the system's CAs, no client certificate).
     *
     * @throws ConfigurationError a file is missing or unreadable, holds no certificate or key, or only one of
     *                            {@code cert-file} and {@code key-file} is set
     */
    public static Optional<TargetTls> of(FerryConfig.Tls config) {
        if (config.caFile().isEmpty() && config.certFile().isEmpty() && config.keyFile().isEmpty()
                && config.verifyHostname()) {
            return Optional.empty();
        }
        if (config.certFile().isPresent() != config.keyFile().isPresent()) {
            String missing = config.certFile().isEmpty() ? "ferry.target.tls.cert-file" : "ferry.target.tls.key-file";
            throw new ConfigurationError(missing, "not set; a client certificate needs both "
                    + "ferry.target.tls.cert-file and ferry.target.tls.key-file");
        }
        try {
            KeyStore trustStore = systemTrust();
            if (config.caFile().isPresent()) {
                int n = 0;
                for (X509Certificate ca : certificates("ferry.target.tls.ca-file", config.caFile().get())) {
                    trustStore.setCertificateEntry("ferry-ca-" + n++, ca);
                }
            }
            PemKeyCertOptions keyCert = null;
            KeyStore keyStore = null;
            if (config.certFile().isPresent()) {
                certificates("ferry.target.tls.cert-file", config.certFile().get()); // a clear message first
                keyCert = new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(read("ferry.target.tls.cert-file", config.certFile().get())))
                        .setKeyValue(Buffer.buffer(read("ferry.target.tls.key-file", config.keyFile().get())));
                try {
                    keyStore = keyCert.loadKeyStore(null);
                } catch (Exception e) {
                    throw new ConfigurationError("ferry.target.tls.key-file", config.keyFile().get()
                            + " holds no unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) matching "
                            + "ferry.target.tls.cert-file (" + e.getClass().getSimpleName() + ")");
                }
            }
            return Optional.of(new TargetTls(trustStore, keyCert, keyStore, config.verifyHostname()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    /** A key store holding every trust anchor of the JVM's default trust manager. */
    static KeyStore systemTrust() throws GeneralSecurityException, IOException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (TrustManager manager : system.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate anchor : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + n++, anchor);
                }
            }
        }
        return store;
    }

    private static X509Certificate[] certificates(String property, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (found.isEmpty()) {
                throw new ConfigurationError(property, file + " holds no PEM certificate");
            }
            return found.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (IOException e) {
            throw new ConfigurationError(property, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (CertificateException e) {
            throw new ConfigurationError(property, file + " holds no readable PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static byte[] read(String property, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationError(property, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public KeyStore getTrustStore() {
        return trustStore;
    }

    @Override
    public TrustOptions getTrustStoreOptions() {
        return TrustOptions.wrap(trust);
    }

    @Override
    public KeyStore getKeyStore() {
        return keyStore;
    }

    @Override
    public KeyCertOptions getKeyStoreOptions() {
        return keyCert;
    }

    @Override
    public Optional<String> getHostnameVerificationAlgorithm() {
        return Optional.of(verifyHostname ? "HTTPS" : "NONE");
    }

    /** The same trust and client certificate for a JDK client (the Vert.x clients use the options above). */
    @Override
    public SSLContext createSSLContext() throws Exception {
        KeyManagerFactory keys = null;
        if (keyCert != null) {
            keys = keyCert.getKeyManagerFactory(null);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
