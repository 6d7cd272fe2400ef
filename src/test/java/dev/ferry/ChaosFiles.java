package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.demo.FlakyApi;
import dev.ferry.demo.FlakyStats;

/**
 * What the chaos tests ({@link ChaosIT}, {@link ShardsIT}, {@link LateApplyIT}) drop and expect: files of CSV and
 * NDJSON whose keys repeat within and across files, the last version of each key, the environment of a packaged run
 * against a flaky API, and the checks they all end with (the API equals the files, nothing applied twice, never two
 * requests of a key at once, every report balanced).
 */
final class ChaosFiles {

    private ChaosFiles() {
    }

    /**
     * Drops {@code files} files ({@code <prefix>-000.csv}, {@code -001.ndjson}, …; every third one CSV) of
     * {@code records} records in all over {@code keys} keys into the inbox.
     *
     * @return the last version of every key, in ingestion order
     */
    static Map<String, ObjectNode> write(Path data, Random random, String prefix, int files, int records, int keys) {
        return write(data, random, prefix, files, records, keys, 0);
    }

    /**
     * As {@link #write(Path, Random, String, int, int, int)}, and each file also gets {@code bursts} keys of its own
     * ({@link #burstKey}) written {@value #BURST} times on consecutive lines at a random place: versions of one key
     * sent one right after the other, and no other version of it anywhere.
     */
    static Map<String, ObjectNode> write(Path data, Random random, String prefix, int files, int records, int keys,
            int bursts) {
        Map<String, ObjectNode> last = new LinkedHashMap<>();
        int version = 0;
        for (int f = 0; f < files; f++) {
            boolean csv = f % 3 == 0;
            List<String[]> lines = new ArrayList<>(); // key, payload: drawn in this order, a seed writes the same
            for (int i = 0; i < records / files; i++) {
                lines.add(new String[] { "k" + random.nextInt(keys), Long.toHexString(random.nextLong()) });
            }
            int plain = lines.size();
            for (int b = 0; b < bursts; b++) {
                // right after the at-th plain line, so never inside another burst
                int at = random.nextInt(plain + 1);
                int index = 0;
                for (int seen = 0; seen < at; index++) {
                    seen += lines.get(index)[0].startsWith("k") ? 1 : 0;
                }
                for (int v = 0; v < BURST; v++) {
                    lines.add(index + v, new String[] { burstKey(f, b), Long.toHexString(random.nextLong()) });
                }
            }
            StringBuilder content = new StringBuilder(csv ? "id,version,payload\n" : "");
            for (String[] line : lines) {
                String key = line[0];
                String payload = line[1];
                version++;
                ObjectNode record = Json.MAPPER.createObjectNode().put("id", key);
                if (csv) {
                    record.put("version", Integer.toString(version)).put("payload", payload);
                    content.append(key).append(',').append(version).append(',').append(payload).append('\n');
                } else {
                    record.put("version", version).put("payload", payload);
                    content.append(Json.write(record)).append('\n');
                }
                last.put(key, record);
            }
            TestData.drop(data, String.format("%s-%03d.%s", prefix, f, csv ? "csv" : "ndjson"), content.toString());
        }
        return last;
    }

    /** Versions of a burst key, on consecutive lines. */
    static final int BURST = 3;

    /** The key of burst {@code burst} of file {@code file}. */
    static String burstKey(int file, int burst) {
        return "b" + file + "-" + burst;
    }

    /**
     * A packaged run on {@code data} against {@code api}: short backoffs and breaker delay, a request timeout that
     * slow answers (3 s) pass and the CPU stalls of a loaded machine do not, 409 retried (the API's answer while a
     * request of the same Idempotency-Key is in flight).
     */
    static Map<String, String> env(Path data, FlakyApi api, int concurrency) {
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_DATA_DIR", data.toString());
        env.put("FERRY_TARGET_URL", api.baseUrl());
        env.put("FERRY_INBOX_SETTLE", "0s");
        env.put("FERRY_DELIVERY_CONCURRENCY", Integer.toString(concurrency));
        env.put("FERRY_REQUEST_TIMEOUT", "1500ms");
        env.put("FERRY_RETRY_INITIAL_DELAY", "10ms");
        env.put("FERRY_RETRY_MAX_DELAY", "200ms");
        env.put("FERRY_RETRY_JITTER", "10ms");
        env.put("FERRY_RETRY_ON_STATUS", "408,409,425,429,500,502,503,504");
        env.put("FERRY_BREAKER_DELAY", "300ms");
        env.put("FERRY_RUN_MAX_DURATION", "60s");
        return env;
    }

    /** Each key whose value at the API is not its last version in the files, with both. */
    static List<String> differences(Map<String, ObjectNode> expected, Map<String, JsonNode> state) {
        List<String> differences = new ArrayList<>();
        expected.forEach((key, record) -> {
            JsonNode stored = state.get(key);
            if (stored == null || !Json.canonical(stored).equals(Json.canonical(record))) {
                differences.add(key + ": expected " + record + ", API has " + stored);
            }
        });
        return differences;
    }

    /** The API holds the last version of every key of the files, and no other key. */
    static void assertApiEqualsFiles(Map<String, ObjectNode> expected, FlakyApi api, String story) {
        Map<String, JsonNode> state = api.state();
        assertThat(differences(expected, state)).as(story).isEmpty();
        assertThat(state.keySet()).as(story).isEqualTo(expected.keySet());
    }

    /** No request was applied twice, and never were two requests of one key in flight at once. */
    static void assertAppliedOnceInOrder(FlakyStats stats, String story) {
        assertThat(stats.appliedTwice()).as(story + "\nno request applied twice").isZero();
        assertThat(stats.concurrentSameKeyViolations()).as(story + "\nnever two requests of one key at once")
                .isZero();
    }

    /** Every run's report balances: records read and deletes = the outcomes plus the records left. */
    static void assertReportsBalance(Path data, String story) throws IOException {
        for (String report : TestData.files(data, "reports")) {
            JsonNode records = Json.read(Files.readString(data.resolve("reports").resolve(report))).get("records");
            assertThat(TestData.readAndDeletes(records)).as(story + "\n" + report + " balances")
                    .isEqualTo(TestData.outcomesAndLeft(records));
        }
    }
}
