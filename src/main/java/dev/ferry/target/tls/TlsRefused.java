package dev.ferry.target.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.ferry.core.ConfigurationError;

/**
 * A TLS handshake that failed on trust or identity: the server's certificate is not trusted, does not name the
 * host, is out of its validity, or the server refused (or missed) the client certificate. Retrying cannot help: it
 * is configuration, not a transient fault, so it is never retried nor counted by the breaker, and the run stops with
 * exit 78 naming the property to fix.
 */
public class TlsRefused extends ConfigurationError {

    /** TLS alerts a server sends when it does not accept the client's certificate, or wants one. */
    private static final String[] CLIENT_CERTIFICATE_ALERTS = { "certificate_required", "bad_certificate",
            "unknown_ca", "certificate_unknown", "certificate_expired", "certificate_revoked", "access_denied" };

    TlsRefused(String property, String problem) {
        super(property, problem);
    }

    /**
     * The refusal that {@code failure} (a request that got no answer) is, when its cause chain holds a TLS handshake
     * failure; empty for any other failure (a reset or timeout stays transient).
     */
    public static Optional<TlsRefused> of(Throwable failure) {
        boolean handshake = false;
        String alert = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            root = t;
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return Optional.of(new TlsRefused("ferry.target.tls.ca-file",
                        "the server's certificate is not valid at this time (" + what(t) + ")"));
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || message.contains("unable to find valid certification path")) {
                return Optional.of(new TlsRefused("ferry.target.tls.ca-file", "the server's certificate is not "
                        + "trusted (" + what(t) + "); add the CA that signed it to ferry.target.tls.ca-file"));
            }
            if (message.contains("no subject alternative") || message.contains("no name matching")
                    || message.contains("doesn't match") || message.contains("does not match")) {
                return Optional.of(new TlsRefused("ferry.target.tls.verify-hostname", "the server's certificate "
                        + "does not name the host of ferry.target.url (" + what(t) + ")"));
            }
            // the Vert.x client may hand the handshake failure on as an IOException that only names it
            if ((t instanceof SSLException || message.contains("sslhandshakeexception"))
                    && message.contains("fatal alert")) {
                for (String name : CLIENT_CERTIFICATE_ALERTS) {
                    if (message.contains(name)) {
                        alert = name;
                    }
                }
                handshake = true;
            }
            handshake |= t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException
                    || t instanceof java.security.cert.CertificateException
                    || message.contains("sslhandshakeexception");
        }
        if (alert != null) {
            return Optional.of(new TlsRefused("ferry.target.tls.cert-file", "the server refused the client "
                    + "certificate, or wants one and none was sent (TLS alert " + alert + ")"));
        }
        return handshake ? Optional.of(new TlsRefused("ferry.target.tls", "the TLS handshake failed (" + what(root)
                + ")")) : Optional.empty();
    }

    private static String what(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
