package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.RunReport;
import dev.ferry.verify.FlakyApiTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * The 504 that succeeded later (ferry.verify.ambiguous-after, 2m here): an API that applies an old write after the
 * newer one is read back by a run once the key is due, and set right with a re-send; the clock is moved past the
 * wait ({@link ShiftedClock}), the API's own delays are real.
 */
@QuarkusTest
@TestProfile(LateApplyTarget.class)
class LateApplyRunTest {

    /** Late writes wait for the test to land them ({@link FlakyApi#landLateWrites}). */
    static final Duration HELD = Duration.ofHours(1);
    static final String K1_V1_K2_K1_V2 = "{\"id\":\"k1\",\"v\":1}\n{\"id\":\"k2\",\"v\":1}\n{\"id\":\"k1\",\"v\":2}\n";

    @Inject
    FerryRun run;

    @Inject
    Vertx vertx;

    @Inject
    ShiftedClock clock;

    @Inject
    Checkpoints checkpoints;

    FlakyApi api;

    @BeforeEach
    void reset() {
        TestData.reset();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void anOldVersionLandingAfterTheNewOne_isReadBackAndReSent_byTheFirstRunAfterItIsDue() throws Exception {
        start(FaultPlan.builder().lateApplyKeys(Set.of("k1")).lateApplyDelay(HELD));
        TestData.drop("a.ndjson", K1_V1_K2_K1_V2);

        RunReport first = run.run();

        assertThat(first.exitCode()).isZero();
        assertThat(first.ambiguous().pending()).as("k1's first request was answered 504").isEqualTo(1);
        assertThat(api.state().get("k1").get("v").asInt()).isEqualTo(2);
        assertThat(api.landLateWrites()).isEqualTo(1);
        assertThat(api.state().get("k1").get("v").asInt()).as("the old version landed last").isEqualTo(1);
        assertThat(api.stats().lateOverNewer()).isEqualTo(1);

        long requests = api.stats().requests();
        RunReport early = run.run();

        assertThat(early.ambiguous().pending()).as("kept by the index across runs").isEqualTo(1);
        assertThat(early.ambiguous().nextDue()).isAfter(clock.instant());
        assertThat(early.exitCode()).as("a key pending alone is no work left").isZero();
        assertThat(api.stats().requests()).as("not due: nothing read").isEqualTo(requests);

        clock.advance(Duration.ofMinutes(2));
        RunReport due = run.run();

        assertThat(due.ambiguous()).isEqualTo(new RunReport.Ambiguous(0, 1, 0, 0, 0, null));
        assertThat(api.state().get("k1").get("v").asInt()).isEqualTo(2);
        assertThat(api.stats().requests() - requests).as("one read-back, one re-send").isEqualTo(2);
        assertThat(api.stats().versionsUnderTwoKeys()).as("re-sent under a fresh Idempotency-Key").isEqualTo(1);
        assertThat(api.stats().concurrentSameKeyViolations()).isZero();
        assertThat(due.exitCode()).isZero();
        assertThat(run.run().ambiguous()).isEqualTo(RunReport.Ambiguous.NONE);
    }

    @Test
    void aLateRequestOfTheLastVersionItself_isConfirmedWithoutARead() throws Exception {
        start(FaultPlan.builder().lateApplyKeys(Set.of("k1")).lateApplyDelay(HELD));
        TestData.drop("a.ndjson", "{\"id\":\"k1\",\"v\":1}\n");
        assertThat(run.run().ambiguous().pending()).isEqualTo(1);
        assertThat(api.landLateWrites()).isEqualTo(1);
        long requests = api.stats().requests();

        clock.advance(Duration.ofMinutes(2));
        RunReport due = run.run();

        assertThat(due.ambiguous()).isEqualTo(new RunReport.Ambiguous(1, 0, 0, 0, 0, null));
        assertThat(api.stats().requests()).isEqualTo(requests);
    }

    @Test
    void aFileAKilledRunLeftInProcessing_hasTheRequestsItMayHaveSentReadBack() throws Exception {
        start(FaultPlan.builder());
        // as a run killed right after claiming it leaves it: in processing/, its checkpoint at the start
        Files.createDirectories(TestData.ROOT.resolve("processing"));
        Files.createDirectories(TestData.ROOT.resolve("state/checkpoints"));
        Files.writeString(TestData.ROOT.resolve("processing/a.ndjson"), K1_V1_K2_K1_V2);
        checkpoints.write(new Checkpoint("a.ndjson", Checkpoint.Kind.SOURCE, 0, 0, List.of(), null, 0, null, 0, false,
                "20260601T115900Z-killed.1", null));

        RunReport first = run.run();

        assertThat(first.records().delivered()).isEqualTo(3);
        assertThat(first.ambiguous().pending()).as("every key the killed run may have sent").isEqualTo(2);
        long requests = api.stats().requests();
        clock.advance(Duration.ofMinutes(2));
        RunReport due = run.run();

        assertThat(due.ambiguous()).isEqualTo(new RunReport.Ambiguous(2, 0, 0, 0, 0, null));
        assertThat(api.stats().requests() - requests)
                .as("k1 had two versions in flight, k2 only its last: only k1 is read back, and found equal")
                .isEqualTo(1);
    }

    @Test
    void aFileClaimedByTheRunItself_marksNothing() throws Exception {
        start(FaultPlan.builder());
        TestData.drop("a.ndjson", K1_V1_K2_K1_V2);

        assertThat(run.run().ambiguous()).isEqualTo(RunReport.Ambiguous.NONE);
    }

    private void start(FaultPlan.Builder plan) {
        api = FlakyApi.start(vertx, plan.build(), FlakyApiTarget.PORT);
    }
}
