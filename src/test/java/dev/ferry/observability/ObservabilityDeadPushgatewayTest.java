package dev.ferry.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logmanager.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.metrics.PushgatewayPusher;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A Pushgateway that cannot be reached costs one warning per run, never the run, and never shows its URL's password. */
@QuarkusTest
@TestProfile(ObservabilityProfile.DeadPushgateway.class)
@ConnectWireMock
class ObservabilityDeadPushgatewayTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void deadPushgateway_warnsOncePerRun_andKeepsTheExitCode() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(400)));
        for (int i = 1; i <= 2; i++) {
            TestData.drop("a" + i + ".ndjson", "{\"id\":\"k" + i + "\"}\n");

            RunReport report;
            List<LogCapture.Line> warnings;
            try (LogCapture logs = LogCapture.start()) {
                report = run.run();
                warnings = logs.of(PushgatewayPusher.class.getName()).stream()
                        .filter(line -> line.level().intValue() >= Level.WARN.intValue()).toList();
            }

            assertThat(report.exitCode()).as("run %d", i).isEqualTo(ExitCodes.OK);
            assertThat(report.records().delivered()).isEqualTo(1);
            assertThat(warnings).as("run %d: one warning for several failed pushes", i).hasSize(1);
            assertThat(warnings.get(0).text()).contains("cannot push metrics to http://127.0.0.1:1")
                    .doesNotContain(ObservabilityProfile.DeadPushgateway.PASSWORD);
        }
    }
}
