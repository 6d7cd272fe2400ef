package dev.ferry.target.tls;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The TLS set-ups of the end-to-end TLS tests: which server ferry talks to, and which ferry.target.tls.* it has. */
final class TlsDeliveryProfiles {

    private TlsDeliveryProfiles() {
    }

    /** An HTTPS API whose CA is in ca-file. */
    public static class Trusted implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return entry(Map.of("server", "https", "ca-file", "true"));
        }
    }

    /** The same API, no ca-file: only the system's CAs, which did not sign its certificate. */
    public static class Untrusted implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return entry(Map.of("server", "https"));
        }
    }

    /** An API that requires a client certificate, with cert-file and key-file. */
    public static class ClientCert implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return entry(Map.of("server", "mtls", "ca-file", "true", "client-cert", "true"));
        }
    }

    /** The same API, no client certificate. */
    public static class NoClientCert implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return entry(Map.of("server", "mtls", "ca-file", "true"));
        }
    }

    private static List<QuarkusTestProfile.TestResourceEntry> entry(Map<String, String> args) {
        return List.of(new QuarkusTestProfile.TestResourceEntry(TlsServersResource.class, args));
    }
}
