package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.state.RunReport;
import dev.ferry.status.Backlog;
import dev.ferry.verify.FlakyApiTarget;
import dev.ferry.verify.Verifier;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * Change detection across runs against the FlakyApi (ferry.delivery.skip-unchanged, ferry.snapshot.*): a
 * record equal to the last version delivered is not sent, a snapshot deletes the keys it left out (after its records,
 * before the next file), a repair is sent although unchanged, a failed delete is replayed as a DELETE, and too many
 * deletes stop the run with exit 76 instead. Every report balances: read + deletes = the outcomes + left.
 */
@QuarkusTest
@TestProfile(ChangeDetectionTest.Profile.class)
class ChangeDetectionTest {

    public static class Profile extends FlakyApiTarget {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("ferry.snapshot.pattern", "snap-*.ndjson");
            overrides.put("ferry.snapshot.max-delete-ratio", "0.5");
            overrides.put("ferry.retry.max-retries", "0");
            overrides.put("ferry.breaker.failure-threshold", "1000");
            overrides.put("ferry.delivery.concurrency", "4");
            return overrides;
        }
    }

    @Inject
    FerryRun run;

    @Inject
    Verifier verifier;

    @Inject
    Backlog backlog;

    @Inject
    Vertx vertx;

    FlakyApi api;

    @BeforeEach
    void start() {
        TestData.reset();
        api = FlakyApi.start(vertx, FaultPlan.none(), FlakyApiTarget.PORT);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void snapshotsAcrossRuns_sendOnlyChanges_deleteWhatTheyLeaveOut_andSendAReAddedKeyAgain() throws Exception {
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1", "c:1", "d:1"));
        RunReport first = runOnce(ExitCodes.OK);
        assertThat(first.records()).isEqualTo(new RunReport.Records(4, 0, 4, 0, 0, 0, 0, 0, 0));
        assertThat(api.stats().requests()).isEqualTo(4);

        TestData.drop("snap-2.ndjson", lines("a:1", "b:2", "c:1", "e:1"));
        RunReport second = runOnce(ExitCodes.OK);

        assertThat(second.records()).as("b changed, e is new, a and c unchanged, d left out")
                .isEqualTo(new RunReport.Records(4, 1, 2, 2, 1, 0, 0, 0, 0));
        assertThat(api.stats().requests() - 4).as("PUT b, PUT e, DELETE d").isEqualTo(3);
        assertThat(api.state()).containsOnlyKeys("a", "b", "c", "e");
        assertThat(api.state().get("b").get("v").asInt()).isEqualTo(2);
        assertThat(second.files().get(0).snapshot()).isEqualTo(new RunReport.SnapshotDeletes("deleted", 1L, 5L, null));

        TestData.drop("snap-3.ndjson", lines("a:1", "b:2", "c:1", "d:1", "e:1"));
        RunReport third = runOnce(ExitCodes.OK);

        assertThat(third.records()).as("d is back: sent again").isEqualTo(new RunReport.Records(5, 0, 1, 4, 0, 0, 0, 0, 0));
        assertThat(api.stats().requests() - 7).isEqualTo(1);
        assertThat(api.state()).containsOnlyKeys("a", "b", "c", "d", "e");
        assertThat(TestData.files("processing")).isEmpty();
    }

    @Test
    void snapshotWrittenOnAfterItSettled_deletesWhatItFinallyLeavesOut_andEndsHoldingWhatItFinallyNames()
            throws Exception {
        // answers that take a while: the producer writes on while the first part's deletes are out
        api.plan(FaultPlan.builder().latency(Duration.ofMillis(300)).build());
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1", "c:1", "d:1"));
        runOnce(ExitCodes.OK);
        TestData.drop("snap-2.ndjson", lines("a:1", "c:1")); // its producer pauses longer than the settle time

        RunReport second;
        try (LogCapture logs = LogCapture.start()) {
            CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return runOnce(ExitCodes.OK);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (api.stats().requests() < 5) { // the first delete is out: the file was read to its end
                Thread.sleep(5);
            }
            Files.writeString(TestData.ROOT.resolve("processing/snap-2.ndjson"), lines("b:2"),
                    StandardOpenOption.APPEND);
            second = running.get(60, TimeUnit.SECONDS);
            assertThat(logs.all()).contains("snap-2.ndjson grew after it was read to its end");
        }

        assertThat(api.state()).as("d left out for good; b deleted with the first part, then named again")
                .containsOnlyKeys("a", "b", "c");
        assertThat(api.state().get("b").get("v").asInt()).isEqualTo(2);
        assertThat(second.records().read()).isEqualTo(3);
        assertThat(TestData.files("processing")).isEmpty();
        assertThat(TestData.files("done")).contains("snap-2.ndjson");
    }

    @Test
    void aFileThatIsNoSnapshot_deletesNothing_andItsUnchangedRecordsAreNotSent() throws Exception {
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1"));
        runOnce(ExitCodes.OK);
        TestData.drop("other.ndjson", lines("a:1"));

        RunReport report = runOnce(ExitCodes.OK);

        assertThat(report.records()).isEqualTo(new RunReport.Records(1, 0, 0, 1, 0, 0, 0, 0, 0));
        assertThat(report.files().get(0).snapshot()).isNull();
        assertThat(api.state()).containsOnlyKeys("a", "b");
        assertThat(api.stats().requests()).isEqualTo(2);
    }

    @Test
    void repairQueuedByVerify_isSentAlthoughItEqualsTheVersionDelivered() throws Exception {
        TestData.drop("a.ndjson", lines("a:1", "b:1"));
        runOnce(ExitCodes.OK);
        api.drift("a", null); // someone deleted it behind ferry's back

        verifier.verify(true, false, OptionalLong.empty());
        assertThat(TestData.entries("failed")).singleElement()
                .satisfies(entry -> assertThat(entry.get("resend").asBoolean()).isTrue());
        RunReport repaired = runOnce(ExitCodes.OK);

        assertThat(repaired.records().delivered()).isEqualTo(1);
        assertThat(repaired.records().unchanged()).isZero();
        assertThat(api.state()).containsKey("a");
    }

    @Test
    void deleteThatFails_waitsInFailedAsADelete_andIsReplayedAsADelete() throws Exception {
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1", "c:1"));
        runOnce(ExitCodes.OK);
        api.plan(FaultPlan.builder().error5xxRate(1.0).build());
        TestData.drop("snap-2.ndjson", lines("a:1", "b:1"));

        RunReport failing = runOnce(ExitCodes.WORK_LEFT);

        assertThat(failing.records()).isEqualTo(new RunReport.Records(2, 1, 0, 2, 0, 1, 0, 0, 0));
        JsonNode entry = TestData.entries("failed").get(0);
        assertThat(entry.get("key").asText()).isEqualTo("c");
        assertThat(entry.get("operation").asText()).isEqualTo("delete");
        assertThat(entry.get("record").get("v").asInt()).as("the version it deletes").isEqualTo(1);
        assertThat(api.state()).containsKey("c");

        api.plan(FaultPlan.none());
        RunReport replayed = runOnce(ExitCodes.OK);

        assertThat(replayed.records()).as("the failed/ line is read, and deleted").isEqualTo(
                new RunReport.Records(1, 0, 0, 0, 1, 0, 0, 0, 0));
        assertThat(api.state()).containsOnlyKeys("a", "b");
        assertThat(TestData.files("failed")).isEmpty();
        TestData.drop("snap-3.ndjson", lines("a:1", "b:1"));
        assertThat(runOnce(ExitCodes.OK).records().deletes()).as("c is no longer known").isZero();
    }

    @Test
    void keyLeftOutByASnapshot_andReAddedByTheNextFileOfTheSameRun_endsReAdded() throws Exception {
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1"));
        runOnce(ExitCodes.OK);
        TestData.drop("snap-2.ndjson", lines("a:1"));
        TestData.drop("t-3.ndjson", lines("b:2"));

        RunReport report = runOnce(ExitCodes.OK);

        assertThat(report.records().deleted()).isEqualTo(1);
        assertThat(report.records().delivered()).isEqualTo(1);
        assertThat(api.state().get("b").get("v").asInt()).as("deleted by snap-2, then put by t-3").isEqualTo(2);
        TestData.drop("t-4.ndjson", lines("b:2"));
        assertThat(runOnce(ExitCodes.OK).records().unchanged()).as("the index holds the re-added version").isEqualTo(1);
    }

    @Test
    void snapshotWithAnUnreadableLine_deletesNothing() throws Exception {
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1", "c:1"));
        runOnce(ExitCodes.OK);
        TestData.drop("snap-2.ndjson", lines("a:1") + "{not json\n");

        RunReport report = runOnce(ExitCodes.OK);

        assertThat(report.records().deletes()).isZero();
        assertThat(report.files().get(0).snapshot().state()).isEqualTo("skipped");
        assertThat(api.state()).containsOnlyKeys("a", "b", "c");
        assertThat(TestData.files("processing")).isEmpty();
    }

    @Test
    void snapshotThatWouldDeleteTooMuch_deletesNothing_stopsWith76_andHoldsTheInbox() throws Exception {
        TestData.drop("snap-1.ndjson", lines("a:1", "b:1", "c:1", "d:1"));
        runOnce(ExitCodes.OK);
        TestData.drop("snap-2.ndjson", lines("a:1"));
        TestData.drop("t-3.ndjson", lines("e:1"));

        RunReport held = runOnce(ExitCodes.MISROUTED);

        assertThat(held.stopReason()).isEqualTo("MASS_DELETE");
        assertThat(held.files().get(0).snapshot()).isEqualTo(new RunReport.SnapshotDeletes("held", 3L, 4L,
                "snapshot snap-2.ndjson would delete 3 of 4 keys (75 %) > ferry.snapshot.max-delete-ratio 0.5; "
                        + "nothing deleted"));
        assertThat(api.state()).containsOnlyKeys("a", "b", "c", "d");
        assertThat(api.stats().requests()).as("a was unchanged; no delete went out").isEqualTo(4);
        assertThat(TestData.files("processing")).containsExactly("snap-2.ndjson");
        assertThat(TestData.files("inbox")).containsExactly("t-3.ndjson");
        assertThat(backlog.view().processing()).singleElement()
                .satisfies(file -> assertThat(file.snapshot()).contains("HELD").contains("3 of 4 keys"));

        assertThat(runOnce(ExitCodes.MISROUTED).files().get(0).snapshot().state()).as("held again").isEqualTo("held");

        // the operator finds the export wrong and removes it: the inbox goes on
        Files.delete(TestData.ROOT.resolve("processing/snap-2.ndjson"));
        RunReport after = runOnce(ExitCodes.OK);
        assertThat(after.records().delivered()).isEqualTo(1);
        assertThat(api.state()).containsOnlyKeys("a", "b", "c", "d", "e");
    }

    private RunReport runOnce(int expectedExit) throws Exception {
        RunReport report = run.run();
        assertThat(report.exitCode()).as("exit code; %s", report).isEqualTo(expectedExit);
        RunReport.Records r = report.records();
        assertThat(r.read() + r.deletes()).as("balance: read + deletes = outcomes + left; %s", r)
                .isEqualTo(r.delivered() + r.unchanged() + r.deleted() + r.failed() + r.rejected() + r.givenUp()
                        + r.left());
        return report;
    }

    /** NDJSON records {"id":key,"v":version} from "key:version". */
    private static String lines(String... versions) {
        StringBuilder lines = new StringBuilder();
        for (String version : versions) {
            String[] kv = version.split(":");
            lines.append("{\"id\":\"").append(kv[0]).append("\",\"v\":").append(kv[1]).append("}\n");
        }
        return lines.toString();
    }
}
