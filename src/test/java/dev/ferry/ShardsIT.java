package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.demo.FlakyStats;

/**
 * Scaling out, from the outside: three packaged jobs share one data dir as the shards of an Indexed Job
 * ({@code FERRY_SHARD_COUNT=3}, {@code FERRY_SHARD_INDEX=0..2}), run at once against a flaky API (5xx, 429, resets,
 * timeouts, answers lost after the record was stored) while shards are killed with SIGKILL at random moments and
 * started again. Run until every shard exits 0, the API holds the last version of every key, each applied under one
 * idempotency key, never two requests of one key at once (a key belongs to one shard), every file is in done/ and
 * inbox/, processing/ and failed/ are empty. Seeded: the seed is printed; rerun with {@code -Dshards.seed=N}.
 */
class ShardsIT {

    static final int SHARDS = 3;
    static final int FILES = 9;
    static final int RECORDS = 2700;
    static final int KEYS = 600;
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
    void threeShardsKilledAtRandom_leaveTheApiEqualToTheFiles_andEveryFileInDone() throws Exception {
        Seed seed = Seed.of("shards", ShardsIT.class);
        String rerun = seed.rerun();
        Random random = new Random(seed.value());
        FaultPlan plan = FaultPlan.builder().seed(seed.value()).error5xxRate(0.05).tooManyRequestsRate(0.02)
                .retryAfter(Duration.ofSeconds(1)).resetRate(0.02).slowRate(0.01).slowDelay(Duration.ofMillis(3000))
                .commitThen504Rate(0.04).latency(Duration.ofMillis(3)).build();
        Map<String, ObjectNode> expected = ChaosFiles.write(data, random, "shards", FILES, RECORDS, KEYS);
        List<String> history = new ArrayList<>();
        try (FlakyApi api = apis.start(plan)) {
            PackagedJar[] shards = new PackagedJar[SHARDS];
            for (int index = 0; index < SHARDS; index++) {
                shards[index] = PackagedJar.start(env(api, index));
            }
            for (int kill = 1; kill <= KILLS; kill++) {
                long wait = 1500 + random.nextInt(2500); // a JVM starts in about 1.5 s: most kills land mid-delivery
                Thread.sleep(wait);
                int index = random.nextInt(SHARDS);
                if (shards[index].isAlive()) {
                    shards[index].kill();
                    history.add("shard " + index + " killed after " + wait + " ms");
                } else {
                    int code = shards[index].waitFor(5);
                    history.add("shard " + index + " ended by itself: exit " + code);
                    assertThat(code).as(rerun + "\n" + shards[index].output()).isIn(0, 75);
                }
                shards[index] = PackagedJar.start(env(api, index));
            }
            for (PackagedJar shard : shards) {
                if (shard.isAlive()) {
                    shard.kill();
                }
            }
            boolean allZero = false;
            for (int round = 1; round <= 10 && !allZero; round++) {
                for (int index = 0; index < SHARDS; index++) {
                    shards[index] = PackagedJar.start(env(api, index));
                }
                allZero = true;
                List<Integer> codes = new ArrayList<>();
                for (PackagedJar shard : shards) {
                    int code = shard.waitFor(120);
                    codes.add(code);
                    assertThat(code).as(rerun + "\n" + shard.output()).isIn(0, 75);
                    allZero &= code == 0;
                }
                history.add("round " + round + " run to the end: exits " + codes);
            }
            String story = rerun + "\n" + String.join("\n", history);
            assertThat(allZero).as(story).isTrue();

            ChaosFiles.assertApiEqualsFiles(expected, api, story);
            FlakyStats stats = api.stats();
            ChaosFiles.assertAppliedOnceInOrder(stats, story);
            assertThat(stats.versionsUnderTwoKeys()).as(story + "\nno version under two idempotency keys").isZero();
            assertThat(TestData.files(data, "done")).as(story).hasSize(FILES);
            assertThat(TestData.files(data, "inbox")).as(story).isEmpty();
            assertThat(everything(data.resolve("processing"))).as(story + "\nno file, claim or marker left").isEmpty();
            assertThat(everything(data.resolve("failed"))).as(story).allSatisfy(
                    path -> assertThat(path).isDirectory());
            ChaosFiles.assertReportsBalance(data, story);
            System.out.println(story + "\nshards: " + stats.requests() + " requests for " + RECORDS + " records, "
                    + expected.size() + " keys equal");
        }
    }

    Map<String, String> env(FlakyApi api, int index) {
        Map<String, String> env = ChaosFiles.env(data, api, 4);
        env.put("FERRY_SHARD_COUNT", Integer.toString(SHARDS));
        env.put("FERRY_SHARD_INDEX", Integer.toString(index));
        return env;
    }

    /** Every entry of a folder, hidden ones included. */
    static List<Path> everything(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        }
    }
}
