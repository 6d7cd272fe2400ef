package dev.ferry.verify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.StopSignal;
import dev.ferry.run.FerryRun;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A read-back is retried whatever became of the last run: in {@code ferry serve} a verify runs after runs that
 * stopped (SIGTERM, deadline, refused credentials), and their stop signal must not cost verify its retries.
 */
@QuarkusTest
@ConnectWireMock
class VerifyRetryTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    Verifier verifier;

    @Inject
    StopSignal stop;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void transientFault_isRetried_evenAfterTheLastRunWasStopped() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        wiremock.register(get(urlEqualTo("/records/r1")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        wiremock.register(get(urlEqualTo("/records/r1")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"r1\",\"n\":1}")));
        TestData.drop("a.ndjson", TestData.records(1));
        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);
        stop.request(StopSignal.Reason.SIGTERM); // as a run stopped by SIGTERM or its deadline leaves it

        VerifyReport report = verifier.verify(false, false, OptionalLong.empty());

        assertThat(wiremock.find(getRequestedFor(urlEqualTo("/records/r1")))).as("the 503 and its retry").hasSize(2);
        assertThat(report.matched()).isEqualTo(1);
        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
    }
}
