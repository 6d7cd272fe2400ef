package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.demo.FlakyStats;

/**
 * The promise, from the outside: the packaged job, killed with SIGKILL at random moments several
 * times while a flaky API (5xx, 429, resets, timeouts, answers lost after the record was stored)
 * serves it, and then run until it exits 0, leaves the API holding the last version of every key,
 * each applied under one idempotency key, never two requests of one key at once, and nothing in
 * inbox/, processing/ or failed/. Seeded: the seed is printed; rerun with {@code -Dchaos.seed=N}.
 */
class ChaosIT {

    static final int FILES = 12;
    static final int RECORDS = 3000;
    static final int KEYS = 700;
    static final int KILLS = 6;

    @TempDir
    Path data;

    @RegisterExtension
    final FlakyApis apis = new FlakyApis();

    @BeforeEach
    void resetData() {
        TestData.reset(data);
    }

    @Test
    void killedAtRandomSeveralTimes_theApiEndsUpEqualToTheFiles() throws Exception {
        Seed seed = Seed.of("chaos", ChaosIT.class);
        String rerun = seed.rerun();
        Random random = new Random(seed.value());
        FaultPlan plan = FaultPlan.builder().seed(seed.value()).error5xxRate(0.06).tooManyRequestsRate(0.03)
                .retryAfter(Duration.ofSeconds(1)).resetRate(0.03).slowRate(0.01).slowDelay(Duration.ofMillis(3000))
                .commitThen504Rate(0.05).latency(Duration.ofMillis(2)).build();
        Map<String, ObjectNode> expected = ChaosFiles.write(data, random, "chaos", FILES, RECORDS, KEYS);
        try (FlakyApi api = apis.start(plan)) {
            Map<String, String> env = ChaosFiles.env(data, api, 8);
            List<String> history = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                PackagedJar ferry = PackagedJar.start(env);
                long wait = 1200 + random.nextInt(2300);
                Thread.sleep(wait);
                if (ferry.isAlive()) {
                    ferry.kill();
                    history.add("killed after " + wait + " ms");
                } else {
                    int code = ferry.waitFor(5);
                    history.add("ended by itself: exit " + code);
                    assertThat(code).as(rerun + "\n" + ferry.output()).isIn(0, 75);
                }
            }
            int code = -1;
            for (int run = 1; run <= 12 && code != 0; run++) {
                PackagedJar ferry = PackagedJar.start(env);
                code = ferry.waitFor(120);
                history.add("run to the end: exit " + code);
                assertThat(code).as(rerun + "\n" + ferry.output()).isIn(0, 75);
            }
            String story = rerun + "\n" + String.join("\n", history);
            assertThat(code).as(story).isZero();

            ChaosFiles.assertApiEqualsFiles(expected, api, story);
            FlakyStats stats = api.stats();
            ChaosFiles.assertAppliedOnceInOrder(stats, story);
            assertThat(stats.versionsUnderTwoKeys()).as(story + "\nno version under two idempotency keys").isZero();
            assertThat(TestData.files(data, "inbox")).as(story).isEmpty();
            assertThat(TestData.files(data, "processing")).as(story).isEmpty();
            assertThat(TestData.files(data, "failed")).as(story).isEmpty();
            ChaosFiles.assertReportsBalance(data, story);
            System.out.println(story + "\nchaos: " + stats.requests() + " requests for " + RECORDS + " records, "
                    + expected.size() + " keys equal");
        }
    }
}
