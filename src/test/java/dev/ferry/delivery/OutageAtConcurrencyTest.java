package dev.ferry.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.TestData;
import dev.ferry.core.StopSignal;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * At concurrency 8 an API that is down when the run starts sees no more than at concurrency 1
 * (BreakerTest): the run starts with one record in delivery, a 503 keeps it there, and that record
 * holds its slot through its retries, so the records are tried one after another.
 */
@QuarkusTest
@TestProfile(ConcurrentDelivery.class)
@ConnectWireMock
class OutageAtConcurrencyTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    StopSignal stop;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void deadApiAtConcurrency8_gets5RecordsTimes4Attempts_oneRecordAtATime_thenThePause() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503)));
        TestData.drop("a.ndjson", TestData.records(30));

        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long end = System.currentTimeMillis() + 8000;
        while (requests().size() < 21 && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        stop.request(StopSignal.Reason.SIGTERM);
        RunReport report = running.get();

        List<LoggedRequest> requests = requests();
        assertThat(requests).as("5 records x 4 attempts, then the trial after the 1 s delay").hasSizeGreaterThan(20);
        List<String> urls = requests.stream().map(LoggedRequest::getUrl).toList();
        for (int record = 0; record < 5; record++) {
            List<String> attempts = urls.subList(record * 4, record * 4 + 4);
            assertThat(attempts).as("one record at a time, each to its last retry: %s", urls.subList(0, 20))
                    .containsOnly(attempts.get(0));
        }
        assertThat(urls.subList(0, 20).stream().distinct()).hasSize(5);
        long pause = requests.get(20).getLoggedDate().getTime() - requests.get(19).getLoggedDate().getTime();
        assertThat(pause).as("no request while the breaker is open").isGreaterThanOrEqualTo(980);
        assertThat(report.breakerOpenings()).isGreaterThanOrEqualTo(1);
        assertThat(report.records().failed()).as("the 5 that opened the breaker and the trial").isBetween(5L, 6L);
    }

    private List<LoggedRequest> requests() {
        return wiremock.find(putRequestedFor(urlPathMatching("/records/.*"))).stream()
                .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).toList();
    }
}
