package dev.ferry.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.TestData;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.core.Shard;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.state.DataDir;
import dev.ferry.state.RunReport;
import dev.ferry.state.ShardClaims;
import dev.ferry.status.Backlog;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * One shard's run ({@code ferry.shard.count=2}, index 1) on a data dir it shares with shard 0, whose part is played
 * here by the steps shard 0's run takes (its claim, its done marker): only this shard's keys are sent, under the
 * claim id the first claimer recorded; the file waits in processing/ until both shards finished it, and the last
 * one moves it to done/; work of another count stops the run before it touches anything.
 */
@QuarkusTest
@ConnectWireMock
@TestProfile(ShardRunTest.SecondOfTwo.class)
class ShardRunTest {

    static final Shard ME = new Shard(1, 2);
    static final Shard OTHER = new Shard(0, 2);

    public static class SecondOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.shard.count", "2", "ferry.shard.index", "1");
        }
    }

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    Backlog backlog;

    /** What shard 0 does to the shared folders, through the same formats. */
    DataDir other = new DataDir(TestData.ROOT, OTHER);
    ShardClaims otherClaims = new ShardClaims(other);

    @BeforeEach
    void reset() {
        TestData.reset(wiremock);
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        other.prepare();
    }

    @Test
    void aShard_sendsOnlyItsKeys_andLeavesTheFileForTheOtherShard() throws Exception {
        TestData.drop("a.ndjson", TestData.records(40) + "not json\n");
        List<String> mine = IntStream.rangeClosed(1, 40).mapToObj(i -> "r" + i).filter(ME::owns).toList();

        RunReport report = run.run();

        assertThat(report.exitCode()).as("its part is done").isEqualTo(ExitCodes.OK);
        assertThat(sentKeys()).containsExactlyInAnyOrderElementsOf(mine).isNotEmpty().hasSizeLessThan(40);
        RunReport.FileSummary file = report.files().get(0);
        assertThat(file.read()).isEqualTo(mine.size());
        assertThat(file.delivered()).isEqualTo(mine.size());
        assertThat(file.otherShards()).as("shard 0's records and the line without a key").isEqualTo(41 - mine.size());
        assertThat(report.records().read()).isEqualTo(report.records().delivered());
        assertThat(TestData.files("rejected")).as("input without a key is shard 0's to reject").isEmpty();
        assertThat(TestData.files("processing")).as("until shard 0 finished it too").containsExactly("a.ndjson");
        assertThat(otherClaims.doneBy("a.ndjson", ME)).isTrue();
        assertThat(report.runId()).endsWith("-shard-1-of-2");
        assertThat(TestData.files("reports")).containsExactly(report.runId() + ".json");
    }

    @Test
    void theLastShardToFinish_movesTheFileToDone_afterSendingUnderTheFirstClaimersId() throws Exception {
        Path inbox = TestData.drop("b.ndjson", TestData.records(20));
        assertThat(InboxClaim.claimShared(other, otherClaims, inbox, "shard0run.1"))
                .isEqualTo(InboxClaim.Shared.IN_PROCESSING);
        otherClaims.markDone("b.ndjson", "shard0run.1", OTHER);

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        List<LoggedRequest> sent = wiremock.find(putRequestedFor(urlPathMatching("/records/.*")));
        assertThat(sent).isNotEmpty().allSatisfy(request -> {
            ObjectNode record = (ObjectNode) Json.read(request.getBodyAsString());
            long line = record.get("n").asLong();
            assertThat(request.getHeader("Idempotency-Key")).isEqualTo(RecordKeys.idempotencyKey(
                    record.get("id").asText(), record, RecordKeys.origin("shard0run.1", line)));
        });
        assertThat(TestData.files("done")).containsExactly("b.ndjson");
        assertThat(TestData.files("processing")).isEmpty();
        assertThat(hidden("processing")).as("claim record and markers are gone").isEmpty();
    }

    @Test
    void aFileEveryShardFinished_movesToDone_whenACrashCameBeforeItsMove() throws Exception {
        Path inbox = TestData.drop("c.ndjson", TestData.records(3));
        InboxClaim.claimShared(other, otherClaims, inbox, "shard0run.1");
        otherClaims.markDone("c.ndjson", "shard0run.1", OTHER);
        otherClaims.markDone("c.ndjson", "shard0run.1", ME);
        otherClaims.forgetClaim("c.ndjson"); // the finisher's first step, then the crash

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(sentKeys()).as("nothing is sent again").isEmpty();
        assertThat(TestData.files("done")).containsExactly("c.ndjson");
        assertThat(hidden("processing")).isEmpty();
    }

    @Test
    void anInboxFile_waits_whileAFileOfItsNameIsInProcessing_notFinishedByEveryShard() throws Exception {
        Path inbox = TestData.drop("d.ndjson", TestData.records(3));
        InboxClaim.claimShared(other, otherClaims, inbox, "shard0run.1");
        otherClaims.markDone("d.ndjson", "shard0run.1", ME); // this shard finished it; shard 0 has not
        TestData.drop("d.ndjson", "{\"id\":\"r1\",\"n\":100}\n");
        TestData.drop("e.ndjson", "{\"id\":\"r2\",\"n\":200}\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(TestData.files("inbox")).as("held, and the files named after it too")
                .containsExactly("d.ndjson", "e.ndjson");
        assertThat(sentKeys()).isEmpty();
    }

    @Test
    void aRun_refusesToStart_namingTheCount_whenAnotherCountLeftWork() throws Exception {
        Path unshardedFailed = TestData.ROOT.resolve("failed");
        Files.createDirectories(unshardedFailed);
        Files.writeString(unshardedFailed.resolve("g000000000001-run.ndjson"), "{\"key\":\"r1\"}\n");
        TestData.drop("f.ndjson", TestData.records(2));

        assertThatThrownBy(() -> run.run()).isInstanceOf(ConfigurationError.class)
                .hasMessageStartingWith("ferry.shard.count: is 2")
                .hasMessageContaining("ferry.shard.count 1", "failed", "ferry status");

        assertThat(TestData.files("inbox")).containsExactly("f.ndjson");
        assertThat(sentKeys()).isEmpty();
        assertThat(backlog.view().otherShardCount()).as("ferry status shows what waits")
                .singleElement().asString().contains("ferry.shard.count 1", "1 file(s)");
    }

    private List<String> sentKeys() {
        return wiremock.find(putRequestedFor(urlPathMatching("/records/.*"))).stream()
                .map(request -> request.getUrl().substring("/records/".length())).toList();
    }

    private static List<String> hidden(String folder) throws Exception {
        try (var entries = Files.list(TestData.ROOT.resolve(folder))) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        }
    }
}
