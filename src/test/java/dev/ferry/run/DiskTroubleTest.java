package dev.ferry.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.delivery.SerialDelivery;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.RunReport;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * failed/ cannot be written (here: it stops being a directory mid-run, which fails even for root,
 * like a full or read-only volume would): the run stops, exits 1 with the reason, and its checkpoint
 * does not pass the record it could not record. Once the volume is fixed, the next run loses nothing.
 */
@QuarkusTest
@TestProfile(SerialDelivery.class)
@ConnectWireMock
class DiskTroubleTest {

    WireMock wiremock;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
    }

    @Test
    void failedFolderUnwritable_stopsTheRunWithExit1_andTheCheckpointStaysBeforeTheRecord() throws Exception {
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503).withFixedDelay(100)));
        TestData.drop("a.ndjson", TestData.records(3));
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path failed = TestData.ROOT.resolve("failed");
        long end = System.currentTimeMillis() + 5000;
        while (wiremock.find(putRequestedFor(urlPathMatching("/records/.*"))).isEmpty()
                && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        Files.delete(failed);
        Files.writeString(failed, "not a folder any more");

        RunReport report = running.get();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.UNEXPECTED);
        assertThat(report.error()).contains("failed");
        assertThat(TestData.files("processing")).containsExactly("a.ndjson");
        var checkpoint = Json.read(Files.readString(TestData.ROOT.resolve("state/checkpoints")
                .resolve(Checkpoints.fileName(Checkpoint.Kind.SOURCE, "a.ndjson"))));
        assertThat(checkpoint.get("offset").asLong()).as("not past r1, whose failed/ line was never written").isZero();
        assertThat(checkpoint.get("settledAhead")).isEmpty();

        Files.delete(failed);
        Files.createDirectory(failed);
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        RunReport next = run.run();

        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(next.records().delivered()).isEqualTo(3);
    }
}
