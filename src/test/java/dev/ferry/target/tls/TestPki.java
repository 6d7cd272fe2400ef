package dev.ferry.target.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time, and certificates it signs: PEM files for ferry
 * ({@code ferry.target.tls.*}) and PKCS#12 stores for the WireMock servers. Nothing is checked in.
 */
public final class TestPki {

    public static final String PASSWORD = "test-store-password";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private final Issued ca;

    private TestPki(Issued ca) {
        this.ca = ca;
    }

    /** A new CA named {@code name}. */
    public static TestPki newCa(String name) {
        try {
            KeyPair keys = keys();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = builder(subject, subject, keys, Duration.ofDays(2));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestPki(new Issued(sign(builder, keys), keys));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Issued ca() {
        return ca;
    }

    /** A server certificate for {@code dnsName} only (so {@code 127.0.0.1} does not match it), signed by this CA. */
    public Issued server(String dnsName) {
        return issue(dnsName, KeyPurposeId.id_kp_serverAuth, dnsName);
    }

    /** A client certificate signed by this CA. */
    public Issued client(String name) {
        return issue(name, KeyPurposeId.id_kp_clientAuth, null);
    }

    private Issued issue(String cn, KeyPurposeId purpose, String dnsName) {
        try {
            KeyPair keys = keys();
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(
                    ca.certificate().getSubjectX500Principal().getEncoded()), new X500Name("CN=" + cn), keys,
                    Duration.ofDays(1));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (dnsName != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            return new Issued(sign(builder, ca.keys()), keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate as PEM into {@code file}. */
    public static Path writeCertificate(X509Certificate certificate, Path file) {
        return writePem(certificate, file);
    }

    /** The private key as PKCS#8 PEM into {@code file}. */
    public static Path writeKey(Issued issued, Path file) {
        try {
            return writePem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(issued.keys().getPrivate(), null),
                    file);
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 key store holding {@code issued} with its chain up to this CA, password {@link #PASSWORD}. */
    public Path keyStore(Issued issued, Path file) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", issued.keys().getPrivate(), PASSWORD.toCharArray(),
                    new java.security.cert.Certificate[] { issued.certificate(), ca.certificate() });
            return save(store, file);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 trust store holding this CA, password {@link #PASSWORD}. */
    public Path trustStore(Path file) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca.certificate());
            return save(store, file);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path save(KeyStore store, Path file) throws GeneralSecurityException, IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static Path writePem(Object object, Path file) {
        try {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
                pem.writeObject(object);
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, text.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
