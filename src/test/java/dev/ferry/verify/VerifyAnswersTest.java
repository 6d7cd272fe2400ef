package dev.ferry.verify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;

/** What verify makes of odd answers, and what --repair never queues (issue: hostile APIs). */
@QuarkusTest
@ConnectWireMock
class VerifyAnswersTest {

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
    void aSuccessThatIsNotJson_isADifference_notACrash() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        wiremock.register(get(urlEqualTo("/records/r1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")));
        TestData.drop("a.ndjson", TestData.records(1));
        run.run();

        VerifyReport report = verifier.verify(false, false, OptionalLong.empty());

        assertThat(report.exitCode()).isEqualTo(ExitCodes.MISMATCH);
        assertThat(report.differentCount()).isEqualTo(1);
    }

    @Test
    void aReadBackLargerThanFourRecords_isADifference_readOnlyThatFar() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        wiremock.register(get(urlEqualTo("/records/r1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"r1\",\"n\":1,\"pad\":\"" + "x".repeat(5 << 20) + "\"}")));
        TestData.drop("a.ndjson", TestData.records(1));
        run.run();

        VerifyReport report = verifier.verify(false, false, OptionalLong.empty());

        assertThat(report.differentCount()).as("ferry.record.max-bytes is 1 MiB: 4 MiB read at most").isEqualTo(1);
        assertThat(report.different().get(0).toString().length()).as("the answer was not read, nor kept")
                .isLessThan(1000);
    }

    @Test
    void repair_neverQueuesAVersion_whileANewerOneWaitsInFailed() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        wiremock.register(get(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(404)));
        TestData.drop("a.ndjson", TestData.records(2));
        run.run();
        wiremock.register(put(urlEqualTo("/records/r1")).willReturn(aResponse().withStatus(503)));
        TestData.drop("b.ndjson", "{\"id\":\"r1\",\"n\":11}\n");
        run.run(); // r1's newer version waits in failed/
        assertThat(TestData.entries("failed")).hasSize(1);

        VerifyReport report = verifier.verify(true, false, OptionalLong.empty());

        assertThat(report.missingCount()).isEqualTo(2);
        assertThat(TestData.entries("failed")).extracting(e -> e.get("key").asText())
                .as("r2 queued, r1 not: its newer version is replayed first anyway").containsExactly("r1", "r2");
        assertThat(TestData.entries("failed").get(0).get("record").get("n").asInt()).isEqualTo(11);
        assertThat(Files.list(TestData.ROOT.resolve("failed")).count()).isEqualTo(2);
    }
}
