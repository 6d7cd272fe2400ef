package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;

/**
 * Change detection as an operator meets it, with the packaged application: settings that differ from one run to the
 * next (the way out of a held snapshot is a run with a higher ferry.snapshot.max-delete-ratio), {@code ferry status},
 * and ferry.delivery.skip-unchanged=false.
 */
class ChangeDetectionIT {

    @TempDir
    java.nio.file.Path data;

    @RegisterExtension
    final FlakyApis apis = new FlakyApis();
    FlakyApi api;

    @BeforeEach
    void start() {
        api = apis.start(FaultPlan.builder().latency(Duration.ofMillis(5)).build());
        TestData.reset(data);
    }

    Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("FERRY_DATA_DIR", data.toString(),
                "FERRY_TARGET_URL", api.baseUrl(), "FERRY_INBOX_SETTLE", "0s",
                "FERRY_SNAPSHOT_PATTERN", "customers-*.csv"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void heldSnapshot_exits76_deletesNothing_untilARunWithAHigherRatio_whichDeletesAndTakesTheInbox()
            throws Exception {
        TestData.drop(data, "customers-1.csv", customers(1, 10));
        assertThat(PackagedJar.start(env()).waitFor(60)).isZero();
        TestData.drop(data, "customers-2.csv", customers(1, 5)); // c6 … c10 left out: half the keys
        TestData.drop(data, "orders.csv", "id,total\no1,12\n");

        PackagedJar held = PackagedJar.start(env());
        assertThat(held.waitFor(60)).as(held.output()).isEqualTo(76);
        assertThat(held.output()).contains("snapshot customers-2.csv would delete 5 of 10 keys (50 %) > "
                + "ferry.snapshot.max-delete-ratio 0.1; nothing deleted");
        assertThat(api.state()).hasSize(10);
        assertThat(TestData.files(data, "processing")).containsExactly("customers-2.csv");
        assertThat(TestData.files(data, "inbox")).containsExactly("orders.csv");
        PackagedJar status = PackagedJar.start(env(), "status");
        assertThat(status.waitFor(60)).isZero();
        assertThat(status.output()).contains("customers-2.csv").contains("deletes HELD").contains("5 of 10 keys");

        PackagedJar allowed = PackagedJar.start(env("FERRY_SNAPSHOT_MAX_DELETE_RATIO", "0.5"));
        assertThat(allowed.waitFor(60)).as(allowed.output()).isZero();

        assertThat(api.state()).containsOnlyKeys("c1", "c2", "c3", "c4", "c5", "o1");
        assertThat(TestData.files(data, "processing")).isEmpty();
        assertThat(TestData.files(data, "inbox")).isEmpty();
    }

    @Test
    void skipUnchangedOff_sendsEveryRecordAgain() throws Exception {
        TestData.drop(data, "a.csv", customers(1, 5));
        assertThat(PackagedJar.start(env()).waitFor(60)).isZero();
        TestData.drop(data, "b.csv", customers(1, 5));
        assertThat(PackagedJar.start(env()).waitFor(60)).isZero();
        assertThat(api.stats().requests()).as("b.csv was unchanged").isEqualTo(5);

        TestData.drop(data, "c.csv", customers(1, 5));
        PackagedJar all = PackagedJar.start(env("FERRY_DELIVERY_SKIP_UNCHANGED", "false"));
        assertThat(all.waitFor(60)).as(all.output()).isZero();

        assertThat(api.stats().requests()).isEqualTo(10);
    }

    private static String customers(int from, int to) {
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = from; i <= to; i++) {
            csv.append('c').append(i).append(",Customer ").append(i).append('\n');
        }
        return csv.toString();
    }
}
