package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.state.RunReport;
import dev.ferry.verify.FlakyApiTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * Replaying failed/ takes at most ferry.replay.max-share of the run: a large backlog never starves new input, and a
 * key still waiting in failed/ keeps its newer records behind it.
 */
@QuarkusTest
@TestProfile(ReplayShareTest.Profile.class)
class ReplayShareTest {

    public static class Profile extends FlakyApiTarget {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("ferry.run.max-duration", "8s");
            overrides.put("ferry.replay.max-share", "0.25");
            overrides.put("ferry.delivery.concurrency", "1");
            overrides.put("ferry.retry.max-retries", "0");
            overrides.put("ferry.breaker.failure-threshold", "1000");
            return overrides;
        }
    }

    @Inject
    FerryRun run;

    @Inject
    Vertx vertx;

    FlakyApi api;

    @BeforeEach
    void start() {
        TestData.reset();
        api = FlakyApi.start(vertx, FaultPlan.builder().error5xxRate(1.0).build(), FlakyApiTarget.PORT);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aLongReplay_leavesTheRestForTheNextRun_andTheInboxIsDeliveredMeanwhile() throws Exception {
        TestData.drop("a.ndjson", TestData.records(200));
        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(TestData.entries("failed")).hasSize(200);
        api.plan(FaultPlan.builder().latency(Duration.ofMillis(25)).build()); // back, and slow: 200 × 25 ms > 2 s
        TestData.drop("b.ndjson", "{\"id\":\"new-1\"}\n{\"id\":\"r199\",\"n\":1999}\n{\"id\":\"new-2\"}\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        RunReport.FileSummary replayed = report.files().get(0);
        assertThat(replayed.kind()).isEqualTo("replay");
        assertThat(replayed.complete()).isFalse();
        assertThat(replayed.delivered()).as("about 2 s of replay").isBetween(1L, 150L);
        assertThat(TestData.files("done")).as("the inbox got its turn").contains("b.ndjson");
        assertThat(api.state()).containsKeys("new-1", "new-2");
        assertThat(api.state().get("r199")).as("r199 still waits in failed/: its newer record follows it").isNull();

        RunReport next;
        int runs = 0;
        do {
            next = run.run();
        } while (next.exitCode() == ExitCodes.WORK_LEFT && ++runs < 10);
        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(api.state().get("r199").get("n").asInt()).as("the newer record, after the older").isEqualTo(1999);
        assertThat(api.state()).hasSize(202);
    }
}
