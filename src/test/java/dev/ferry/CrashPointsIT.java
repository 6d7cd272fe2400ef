package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;

/**
 * The process halted (as by kill -9) between two state-writing steps, at named points
 * ({@code FERRY_TEST_CRASH_AT}), then run again: nothing lost, nothing applied twice, nothing
 * written twice to failed/.
 */
class CrashPointsIT {

    @TempDir
    java.nio.file.Path data;

    @RegisterExtension
    final FlakyApis apis = new FlakyApis();
    FlakyApi api;

    @BeforeEach
    void start() {
        api = apis.start(FaultPlan.builder().latency(Duration.ofMillis(20)).build());
        TestData.reset(data);
    }

    Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("FERRY_DATA_DIR", data.toString(),
                "FERRY_TARGET_URL", api.baseUrl(), "FERRY_INBOX_SETTLE", "0s", "FERRY_DELIVERY_CONCURRENCY", "4",
                "FERRY_RETRY_INITIAL_DELAY", "5ms", "FERRY_RETRY_MAX_DELAY", "20ms",
                "FERRY_BREAKER_FAILURE_THRESHOLD", "1000"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void haltedAfterTheApiAnswered_beforeTheCheckpoint_theNextRunResendsWithTheSameKeys() throws Exception {
        TestData.drop(data, "a.ndjson", TestData.records(60));

        PackagedJar crashed = PackagedJar.start(env("FERRY_TEST_CRASH_AT", "delivered:30"));
        assertThat(crashed.waitFor(60)).as(crashed.output()).isEqualTo(137);
        assertThat(TestData.files(data, "processing")).containsExactly("a.ndjson");
        long appliedBefore = api.stats().applied();

        PackagedJar next = PackagedJar.start(env());
        assertThat(next.waitFor(60)).as(next.output()).isZero();

        assertThat(appliedBefore).isGreaterThanOrEqualTo(30);
        assertThat(api.state()).hasSize(60);
        assertThat(api.stats().applied()).as("each record applied once, re-sends answered from the idempotency ledger")
                .isEqualTo(60);
        assertThat(api.stats().appliedTwice()).isZero();
        // re-sent: at most the 30 records settled after the last checkpoint, plus the requests the halted run had in
        // flight (concurrency 4: up to 3 more), which the API may have answered without the run knowing
        assertThat(api.stats().requests() - 60).as("re-sent: settled after the last checkpoint, or in flight")
                .isLessThanOrEqualTo(30 + 3);
    }

    @Test
    void haltedAfterAFailedLine_beforeTheCheckpoint_theLineIsNotWrittenTwice() throws Exception {
        api.plan(FaultPlan.builder().error5xxRate(1.0).build());
        TestData.drop(data, "a.ndjson", TestData.records(6));
        Map<String, String> failFast = env("FERRY_RETRY_MAX_RETRIES", "0", "FERRY_DELIVERY_CONCURRENCY", "1");

        PackagedJar crashed = PackagedJar.start(with(failFast, "FERRY_TEST_CRASH_AT", "failed-appended:3"));
        assertThat(crashed.waitFor(60)).as(crashed.output()).isEqualTo(137);
        assertThat(TestData.entries(data, "failed")).hasSizeGreaterThanOrEqualTo(3);

        PackagedJar again = PackagedJar.start(failFast);
        assertThat(again.waitFor(60)).as(again.output()).isEqualTo(75);
        List<JsonNode> failed = TestData.entries(data, "failed");
        assertThat(failed).extracting(e -> e.get("key").asText())
                .as("each record once, in file order, after the resumed run cut the file back")
                .containsExactly("r1", "r2", "r3", "r4", "r5", "r6");

        api.plan(FaultPlan.none());
        PackagedJar replay = PackagedJar.start(env());
        assertThat(replay.waitFor(60)).as(replay.output()).isZero();
        assertThat(api.state()).hasSize(6);
        assertThat(TestData.files(data, "failed")).isEmpty();
    }

    @Test
    void haltedDuringAReplay_theReplayContinues_andKeepsPerKeyOrder() throws Exception {
        api.plan(FaultPlan.builder().error5xxRate(1.0).build());
        StringBuilder versions = new StringBuilder();
        for (int v = 1; v <= 4; v++) {
            for (int k = 1; k <= 5; k++) {
                versions.append("{\"id\":\"k").append(k).append("\",\"v\":").append(v).append("}\n");
            }
        }
        TestData.drop(data, "a.ndjson", versions.toString());
        Map<String, String> failFast = env("FERRY_RETRY_MAX_RETRIES", "0");
        assertThat(PackagedJar.start(failFast).waitFor(60)).isEqualTo(75);
        assertThat(TestData.entries(data, "failed")).hasSize(20);

        api.plan(FaultPlan.none());
        PackagedJar crashed = PackagedJar.start(env("FERRY_TEST_CRASH_AT", "replay-settled:9"));
        assertThat(crashed.waitFor(60)).as(crashed.output()).isEqualTo(137);
        PackagedJar resumed = PackagedJar.start(env());
        assertThat(resumed.waitFor(60)).as(resumed.output()).isZero();

        for (int k = 1; k <= 5; k++) {
            assertThat(api.state().get("k" + k).get("v").asInt()).as("k%d holds its last version", k).isEqualTo(4);
        }
        assertThat(api.stats().appliedTwice()).isZero();
        assertThat(TestData.files(data, "failed")).isEmpty();
    }

    @Test
    void haltedBetweenBAndTheSecondA_theResumedFileKeepsItsKeys_andTheValueEndsAsA() throws Exception {
        TestData.drop(data, "a.ndjson", "{\"id\":\"c1\",\"status\":\"active\"}\n"
                + "{\"id\":\"c1\",\"status\":\"suspended\"}\n{\"id\":\"c1\",\"status\":\"active\"}\n");

        PackagedJar crashed = PackagedJar.start(env("FERRY_TEST_CRASH_AT", "delivered:2"));
        assertThat(crashed.waitFor(60)).as(crashed.output()).isEqualTo(137);
        assertThat(api.state().get("c1").get("status").asText()).isEqualTo("suspended");

        PackagedJar resumed = PackagedJar.start(env());
        assertThat(resumed.waitFor(60)).as(resumed.output()).isZero();

        assertThat(api.state().get("c1").get("status").asText()).isEqualTo("active");
        assertThat(api.stats().appliedTwice()).as("a re-send after the crash carries the key it had").isZero();
        assertThat(api.stats().applied()).as("A, B and A again, each applied once").isEqualTo(3);
    }

    @Test
    void haltedAfterAChangedRecordWasDelivered_beforeTheIndexKnew_theResumedRunSendsItAgainInsteadOfSkippingIt()
            throws Exception {
        TestData.drop(data, "a.ndjson", versions(60, 1));
        assertThat(PackagedJar.start(env()).waitFor(60)).isZero();
        TestData.drop(data, "b.ndjson", versions(60, 2));

        PackagedJar crashed = PackagedJar.start(env("FERRY_TEST_CRASH_AT", "delivered:30"));
        assertThat(crashed.waitFor(60)).as(crashed.output()).isEqualTo(137);
        PackagedJar resumed = PackagedJar.start(env());
        assertThat(resumed.waitFor(60)).as(resumed.output()).isZero();

        for (int k = 1; k <= 60; k++) {
            assertThat(api.state().get("k" + k).get("v").asInt()).as("k%d holds its changed version", k).isEqualTo(2);
        }
        assertThat(api.stats().applied()).as("each version applied once: re-sends carry their first key").isEqualTo(120);
        assertThat(api.stats().appliedTwice()).isZero();
    }

    @Test
    void haltedDuringASnapshotsDeletes_theResumedRunFinishesThem_underTheSameIdempotencyKeys() throws Exception {
        Map<String, String> snapshots = env("FERRY_SNAPSHOT_PATTERN", "snap-*.ndjson",
                "FERRY_SNAPSHOT_MAX_DELETE_RATIO", "0.6");
        TestData.drop(data, "snap-1.ndjson", versions(40, 1));
        assertThat(PackagedJar.start(snapshots).waitFor(60)).isZero();
        TestData.drop(data, "snap-2.ndjson", versions(20, 1)); // k21 … k40 left out
        TestData.drop(data, "t-3.ndjson", "{\"id\":\"k30\",\"v\":3}\n");

        PackagedJar crashed = PackagedJar.start(with(snapshots, "FERRY_TEST_CRASH_AT", "deleted:10"));
        assertThat(crashed.waitFor(60)).as(crashed.output()).isEqualTo(137);
        assertThat(TestData.files(data, "processing")).containsExactly("snap-2.ndjson");
        assertThat(api.state()).hasSizeLessThanOrEqualTo(30);
        PackagedJar resumed = PackagedJar.start(snapshots);
        assertThat(resumed.waitFor(60)).as(resumed.output()).isZero();

        assertThat(api.state().keySet()).as("k1 … k20, and k30 put again by the file after the snapshot")
                .hasSize(21).contains("k1", "k20", "k30").doesNotContain("k21", "k40");
        assertThat(api.state().get("k30").get("v").asInt()).isEqualTo(3);
        assertThat(api.stats().deleted()).isEqualTo(20);
        assertThat(api.stats().idempotencyKeys().seen()).as("40 + 1 PUTs and 20 DELETEs, re-sends under their keys")
                .isEqualTo(61);
        assertThat(TestData.files(data, "failed")).isEmpty();
        assertThat(TestData.files(data, "processing")).isEmpty();
    }

    /** NDJSON records {"id":"k1","v":version} … {"id":"kN","v":version}. */
    static String versions(int count, int version) {
        StringBuilder lines = new StringBuilder();
        for (int k = 1; k <= count; k++) {
            lines.append("{\"id\":\"k").append(k).append("\",\"v\":").append(version).append("}\n");
        }
        return lines.toString();
    }

    static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(name, value);
        return copy;
    }
}
