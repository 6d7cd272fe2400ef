package dev.ferry.target.tls;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** End to end over TLS: {@link TlsDeliveryProfiles.NoClientCert}. */
@QuarkusTest
@TestProfile(TlsDeliveryProfiles.NoClientCert.class)
class TlsNoClientCertDeliveryTest {

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset();
    }

    @Test
    void handshakeRefused_stopsTheRunWith78_namingTheProperty_andLeavesTheInputUntouched() throws Exception {
        TestData.drop("a.ndjson", TestData.records(3));

        RunReport report;
        try (LogCapture logs = LogCapture.start()) {
            report = run.run();
            assertThat(logs.all()).contains("configuration error: ferry.target.tls.cert-file:");
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(report.stopReason()).isEqualTo("CONFIGURATION");
        // no retries asserted: under TLS 1.3 the server's refusal comes after the client's side of the handshake, so
        // an attempt may first see only the closed connection (transient) before one sees the alert
        assertThat(report.records().failed() + report.records().rejected()).isZero();
        assertThat(TestData.files("failed")).isEmpty();
    }
}
