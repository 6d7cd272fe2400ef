package dev.ferry.target.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

/**
 * How {@link TlsRefused} reads failures in the shapes the REST client hands them on (real handshakes are in
 * {@link TargetTlsTest} and the Tls*DeliveryTest classes): which are configuration, and which property they name.
 */
class TlsRefusedTest {

    @Test
    void handshakeFailureNamedOnlyInAnIOExceptionsMessage_isRecognised_asTheClientCertificate() {
        // what the Vert.x client gave when an mTLS server refused the handshake without a client certificate
        Throwable failure = new ProcessingException(new IOException(
                "javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate"));

        assertThat(TlsRefused.of(failure)).hasValueSatisfying(refused -> {
            assertThat(refused.property()).isEqualTo("ferry.target.tls.cert-file");
            assertThat(refused.getMessage()).contains("bad_certificate");
        });
    }

    @Test
    void certificateRequiredAlert_afterATls13Handshake_namesCertFile() {
        Throwable failure = new ProcessingException(new SSLException("Received fatal alert: certificate_required"));

        assertThat(TlsRefused.of(failure).orElseThrow().property()).isEqualTo("ferry.target.tls.cert-file");
    }

    @Test
    void otherHandshakeFailures_areConfigurationToo_namingTheTlsSettings() {
        Throwable failure = new ProcessingException(new SSLHandshakeException("Received fatal alert: protocol_version"));

        assertThat(TlsRefused.of(failure).orElseThrow().property()).isEqualTo("ferry.target.tls");
    }

    @Test
    void resetsRefusalsAndTlsErrorsOutsideTheHandshake_stayTransient() {
        assertThat(TlsRefused.of(new ProcessingException(new ConnectException("Connection refused")))).isEmpty();
        assertThat(TlsRefused.of(new ProcessingException(new SocketException("Connection reset")))).isEmpty();
        assertThat(TlsRefused.of(new ProcessingException(new SSLException("closing inbound before receiving peer's "
                + "close_notify")))).isEmpty();
    }
}
