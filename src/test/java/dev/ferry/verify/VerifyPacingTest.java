package dev.ferry.verify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.TestData;
import dev.ferry.run.FerryRun;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;

/** verify never reads faster than ferry.verify.rate (default 5/s), on WireMock's request timestamps. */
@QuarkusTest
@ConnectWireMock
class VerifyPacingTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    Verifier verifier;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void reads_areSpacedByOneOverTheRate() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        wiremock.register(get(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(404)));
        TestData.drop("a.ndjson", TestData.records(11));
        run.run();

        VerifyReport report = verifier.verify(false, false, OptionalLong.empty());

        assertThat(report.missingCount()).isEqualTo(11);
        List<Long> times = TestData.arrivals(wiremock, getRequestedFor(urlPathMatching("/records/.*")));
        assertThat(times).hasSize(11);
        assertThat(times.get(10) - times.get(0)).as("10 gaps of 200 ms").isGreaterThanOrEqualTo(1990);
        for (int i = 0; i + 5 < times.size(); i++) {
            assertThat(times.get(i + 5) - times.get(i)).as("never 6 reads within a second").isGreaterThanOrEqualTo(990);
        }
    }
}
