package dev.ferry.target.tls;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** End to end over TLS: {@link TlsDeliveryProfiles.ClientCert}. */
@QuarkusTest
@TestProfile(TlsDeliveryProfiles.ClientCert.class)
class TlsClientCertDeliveryTest {

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset();
    }

    @Test
    void records_areDelivered_overTls() throws Exception {
        TestData.drop("a.ndjson", TestData.records(3));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(3);
    }
}
