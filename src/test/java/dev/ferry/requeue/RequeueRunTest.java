package dev.ferry.requeue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.TestData;
import dev.ferry.cli.StatusCommand;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.run.FerryRun;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.RequeueJournal;
import dev.ferry.state.RunReport;
import dev.ferry.status.Backlog;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import picocli.CommandLine;

/**
 * ferry requeue between real runs against WireMock: a record the API refused, requeued after the API was fixed, is
 * delivered by the next run under a fresh idempotency key; a key delivered again after its rejection is not requeued;
 * a requeue killed half way is completed by the next run; {@code ferry status} points at requeue.
 */
@QuarkusTest
@ConnectWireMock
class RequeueRunTest {

    WireMock wiremock;

    StubMapping refusal;

    @Inject
    FerryRun run;

    @Inject
    Requeuer requeuer;

    @Inject
    Backlog backlog;

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
        wiremock.register(put(urlPathMatching("/records/.*")).atPriority(5).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void deliveredThenRefused_requeuedAfterAFix_isDeliveredByTheNextRun_underAFreshIdempotencyKey() throws Exception {
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"v\":1}\n{\"id\":\"k2\",\"v\":1}\n");
        assertThat(run.run().records().delivered()).isEqualTo(2);
        refuse("k2");
        TestData.drop("b.ndjson", "{\"id\":\"k2\",\"v\":2}\n");
        assertThat(run.run().records().rejected()).isEqualTo(1);
        String refusedKey = requests("k2").get(1).getHeader("Idempotency-Key");
        fix();

        RequeueResult requeued = requeuer.requeue(filter("422"), false);

        assertThat(requeued.moved()).as("v1 was delivered before v2 was refused").containsExactly("k2");
        assertThat(TestData.files("rejected")).isEmpty();
        RunReport next = run.run();
        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(next.records().delivered()).isEqualTo(1);
        List<LoggedRequest> k2 = requests("k2");
        assertThat(k2).hasSize(3);
        String id = requeued.failedFile().replaceFirst("^g\\d{12}-requeue-", "").replaceFirst("\\.ndjson$", "");
        assertThat(k2.get(2).getHeader("Idempotency-Key"))
                .isEqualTo(RecordKeys.sha256Hex(refusedKey + "\nrequeue:" + id)).isNotEqualTo(refusedKey);
        assertThat(k2.get(2).getBodyAsString()).isEqualTo("{\"id\":\"k2\",\"v\":2}");
        assertThat(requests("k1")).as("only the requeued record is sent again").hasSize(1);
        assertThat(TestData.files("failed")).isEmpty();
    }

    @Test
    void keyDeliveredAgainAfterItsRejection_isNotRequeued() throws Exception {
        refuse("k2");
        TestData.drop("a.ndjson", "{\"id\":\"k2\",\"v\":1}\n");
        assertThat(run.run().records().rejected()).isEqualTo(1);
        fix();
        TestData.drop("b.ndjson", "{\"id\":\"k2\",\"v\":2}\n");
        assertThat(run.run().records().delivered()).isEqualTo(1);

        RequeueResult requeued = requeuer.requeue(filter("422"), false);

        assertThat(requeued.moved()).isEmpty();
        assertThat(requeued.skipped()).containsEntry(SkipReason.NEWER_DELIVERED, List.of("k2"));
        assertThat(TestData.entries("rejected")).hasSize(1);
        assertThat(TestData.files("failed")).isEmpty();
    }

    @Test
    void status_withRejectedRecords_pointsAtRequeue() throws Exception {
        refuse("k2");
        TestData.drop("a.ndjson", "{\"id\":\"k2\",\"v\":1}\n");
        run.run();
        StringWriter text = new StringWriter();
        CommandLine status = new CommandLine(new StatusCommand(backlog));
        status.setOut(new PrintWriter(text));

        assertThat(status.execute()).isZero();

        assertThat(text.toString()).contains("rejected      1 record(s)").contains("ferry requeue --status 422");
    }

    @Test
    void requeueKilledAfterWritingFailed_isCompletedByTheNextRun_beforeItReadsFailed() throws Exception {
        refuse("k2");
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"v\":1}\n{\"id\":\"k2\",\"v\":2}\n");
        run.run();
        fix();
        // what a requeue killed right after its failed/ file was committed leaves: the journal, the failed/ file, and
        // the line still in rejected/
        String rejectedFile = TestData.files("rejected").get(0);
        Path rejected = TestData.ROOT.resolve("rejected").resolve(rejectedFile);
        JsonNode line = TestData.entries("rejected").get(0);
        Instant now = Instant.now(); // the run's clock: a requeued record is fresh in failed/
        Files.writeString(TestData.ROOT.resolve("failed/g000000000099-requeue-x.ndjson"), Json.write(new FailedEntry(
                "k2", "fresh", (ObjectNode) line.get("record"), line.get("source").asText(), 0, "requeued x", now, 0,
                now, null, null)) + "\n");
        Files.write(TestData.ROOT.resolve("state/requeue.json"), Json.bytes(new RequeueJournal(
                "g000000000099-requeue-x.ndjson",
                List.of(new RequeueJournal.Removal(rejectedFile, Files.size(rejected), List.of(0))))));

        RunReport next = run.run();

        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(TestData.files("rejected")).as("the move was completed: the line left rejected/").isEmpty();
        assertThat(requests("k2")).hasSize(2);
        assertThat(requests("k2").get(1).getHeader("Idempotency-Key")).isEqualTo("fresh");
        assertThat(TestData.ROOT.resolve("state/requeue.json")).doesNotExist();
    }

    private void refuse(String key) {
        refusal = wiremock.register(put(urlEqualTo("/records/" + key)).atPriority(1).willReturn(
                aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"email invalid\"}")));
    }

    /** The fix: the API accepts every record from now on. */
    private void fix() {
        wiremock.removeStubMapping(refusal);
    }

    /** The requests for a key, oldest first (they come from separate runs). */
    private List<LoggedRequest> requests(String key) {
        return wiremock.find(putRequestedFor(urlEqualTo("/records/" + key))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    private static RequeueFilter filter(String status) {
        return RequeueFilter.of(List.of(), List.of(), List.of(status), List.of(), false);
    }
}
