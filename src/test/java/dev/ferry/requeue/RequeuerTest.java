package dev.ferry.requeue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.TestClock;
import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.delivery.Redaction;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.FileSequence;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RejectedEntry;
import dev.ferry.state.RunLock;

/**
 * ferry requeue on a data dir laid out by hand: which rejected records move to failed/ (the ordering rule against
 * deliveries, failed/ and other rejections), what the moved lines look like, and when it refuses to run.
 */
class RequeuerTest {

    /** When the fixtures' rejections happened; deliveries are placed before or after it. */
    static final Instant T = Instant.parse("2026-06-01T10:00:00.000Z");

    @TempDir
    Path root;

    DataDir dataDir;
    TestClock clock = new TestClock(Instant.parse("2026-06-01T12:00:00Z"));
    Redaction redaction = new Redaction(List.of(), "id");

    @BeforeEach
    void prepare() throws IOException {
        dataDir = new DataDir(root);
        dataDir.prepare();
        RunLock.tryAcquire(dataDir.state()).orElseThrow().close(); // state/ferry.lock, as any run leaves it
    }

    // --- the ordering rule

    @Test
    void rejected_thenDeliveredLater_isSkipped_andStaysInRejected() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T));
        delivered("k1", T.plusSeconds(60));

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.moved()).isEmpty();
        assertThat(result.skipped()).containsEntry(SkipReason.NEWER_DELIVERED, List.of("k1"));
        assertThat(keys("rejected")).containsExactly("k1");
        assertThat(files("failed")).isEmpty();
        assertThat(result.lines()).anyMatch(line -> line.contains("a newer version was delivered")
                && line.contains("k1 (delivered " + T.plusSeconds(60) + ")"));
    }

    @Test
    void delivered_thenRejected_isMoved_withAFreshIdempotencyKey_andLeavesRejected() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T));
        delivered("k1", T.minusSeconds(60));

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.moved()).containsExactly("k1");
        assertThat(files("rejected")).as("the emptied rejected/ file is gone").isEmpty();
        assertThat(files("failed")).containsExactly(result.failedFile());
        assertThat(result.failedFile()).matches("g\\d{12}-requeue-.*\\.ndjson");
        FailedEntry moved = Json.MAPPER.treeToValue(entries("failed").get(0), FailedEntry.class);
        String id = result.failedFile().replaceFirst("^g\\d{12}-requeue-", "").replaceFirst("\\.ndjson$", "");
        assertThat(moved.key()).isEqualTo("k1");
        assertThat(moved.idempotencyKey()).isEqualTo(RecordKeys.sha256Hex(idempotencyKey("k1", T) + "\nrequeue:" + id))
                .isNotEqualTo(idempotencyKey("k1", T));
        assertThat(moved.record()).isEqualTo(record("k1", T));
        assertThat(moved.source()).isEqualTo("a.ndjson:1");
        assertThat(moved.attempts()).isZero();
        assertThat(moved.runs()).isZero();
        assertThat(moved.lastError()).isEqualTo("requeued " + id + ": the API refused the record (HTTP 422)");
        assertThat(moved.failedAt()).isEqualTo(clock.instant());
        assertThat(moved.firstFailedAt()).isEqualTo(clock.instant());
        assertThat(Files.exists(root.resolve("state/requeue.json"))).as("the journal is gone").isFalse();
    }

    @Test
    void deliveredInTheSameMillisecond_orAtATimeNotRecorded_countsAsNewer_andIsSkipped() throws Exception {
        Instant rejectedAt = T.plusNanos(400_000); // 10:00:00.0004
        rejected("g000000000001-run1.ndjson", refused("k1", 422, rejectedAt), refused("k2", 422, T));
        delivered("k1", T); // the same millisecond: which came first is not known
        try (DeliveredIndex index = DeliveredIndex.open(dataDir.state())) {
            index.delivered("k2", RecordKeys.contentHash("k2", record("k2", T)), "i", new byte[] { '{', '}' });
        }

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.moved()).isEmpty();
        assertThat(result.skipped().get(SkipReason.NEWER_DELIVERED)).containsExactlyInAnyOrder("k1", "k2");
        assertThat(result.lines()).anyMatch(line -> line.contains("k2 (delivered at a time not recorded)"));
    }

    @Test
    void keyWaitingInFailed_isSkipped() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T), refused("k2", 422, T));
        Files.writeString(dataDir.failed().resolve("g000000000002-run2.ndjson"),
                Json.write(new FailedEntry("k1", "i", record("k1", T), "b.ndjson:1", 3, "HTTP 503", T, 1, T, null, null)) + "\n");

        RequeueResult result = requeue(filter().status("4xx"));

        assertThat(result.moved()).containsExactly("k2");
        assertThat(result.skipped()).containsEntry(SkipReason.WAITING, List.of("k1"));
        assertThat(keys("rejected")).containsExactly("k1");
    }

    @Test
    void twoRejectedVersionsOfAKey_theNewestMoves_theOlderIsSuperseded_andBothLeaveRejected() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T), refused("k2", 422, T));
        rejected("g000000000003-run2.ndjson", refused("k1", 422, T.plusSeconds(5)));

        RequeueResult result = requeue(filter().key("k1"));

        assertThat(result.moved()).containsExactly("k1");
        assertThat(result.superseded()).containsExactly("k1");
        assertThat(entries("failed")).singleElement()
                .satisfies(entry -> assertThat(entry.get("record")).isEqualTo(record("k1", T.plusSeconds(5))));
        assertThat(keys("rejected")).containsExactly("k2");
        assertThat(files("rejected")).containsExactly("g000000000001-run1.ndjson");
    }

    @Test
    void newerRejectionNotSelected_keepsTheOlderOneWhereItIs() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T), refused("k1", 400, T.plusSeconds(5)));

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.moved()).isEmpty();
        assertThat(result.skipped()).containsEntry(SkipReason.NEWER_REJECTED, List.of("k1"));
        assertThat(entries("rejected")).hasSize(2);
    }

    @Test
    void equalRejectionTimes_areOrderedByFileThenLine() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T, 1));
        rejected("g000000000002-run2.ndjson", refused("k1", 422, T, 2), refused("k1", 422, T, 3));

        RequeueResult result = requeue(filter().key("k1"));

        assertThat(result.superseded()).hasSize(2);
        assertThat(entries("failed").get(0).get("record").get("v").asInt()).isEqualTo(3);
    }

    @Test
    void rejectedFileOfAnUnfinishedReplay_isHeld_forTheReplaysResumeCutsItBack() throws Exception {
        rejected("g000000000004-run3.ndjson", refused("k1", 422, T));
        Files.writeString(dataDir.failed().resolve("g000000000002-run2.ndjson"), "");
        new Checkpoints(dataDir).write(new Checkpoint("g000000000002-run2.ndjson", Checkpoint.Kind.REPLAY, 0, 0,
                List.of(), "g000000000005-run3.ndjson", 0, "g000000000004-run3.ndjson", 0, false, null, null));

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.skipped()).containsEntry(SkipReason.HELD, List.of("k1"));
        assertThat(keys("rejected")).containsExactly("k1");
    }

    // --- filters

    @Test
    void filters_combineWithAnd_repeatedValuesWithOr_andOnlySelectedRecordsMove() throws Exception {
        rejected("g000000000001-run1.ndjson",
                refused("a1", 422, T, "orders-1.csv:2", "{\"error\":\"Email invalid\"}"),
                refused("a2", 400, T, "orders-2.csv:2", "{\"error\":\"email invalid\"}"),
                refused("a3", 409, T, "orders-3.csv:2", "{\"error\":\"email invalid\"}"),
                refused("b1", 422, T, "customers.csv:2", "{\"error\":\"email invalid\"}"),
                refused("a4", 422, T, "orders-4.csv:2", "{\"error\":\"name missing\"}"),
                RejectedEntry.givenUp("orders-5.csv:2", "given up after 5 runs", "a5", "i5", record("a5", T), T, null));

        RequeueResult result = requeue(filter().file("orders-*.csv").status("422").status("400").status("given-up")
                .reason("EMAIL").reason("after 5 runs"));

        assertThat(result.moved()).containsExactlyInAnyOrder("a1", "a2", "a5");
        assertThat(keys("rejected")).containsExactlyInAnyOrder("a3", "b1", "a4");
        assertThat(keys("failed")).containsExactlyInAnyOrder("a1", "a2", "a5");
    }

    @Test
    void unreadableInput_neverMoves_andIsCountedAsSkipped() throws Exception {
        rejected("g000000000001-run1.ndjson", RejectedEntry.unreadable("a.csv:7", "unclosed quote", "x,\"y", T),
                refused("k1", 422, T, "a.csv:8", "{}"));
        Files.writeString(dataDir.rejected().resolve("g000000000001-run1.ndjson"), "{\"source\":\"a.csv:9\",\"rea",
                StandardOpenOption.APPEND); // a line a crash cut short: no entry, not counted

        RequeueResult result = requeue(filter().file("a.csv"));

        assertThat(result.moved()).containsExactly("k1");
        assertThat(result.skipped()).containsEntry(SkipReason.NOT_A_RECORD, List.of("a.csv:7"));
        assertThat(result.lines())
                .anyMatch(line -> line.contains("not a record: fix the file and drop it in inbox/: a.csv:7"));
        assertThat(Files.readAllLines(dataDir.rejected().resolve("g000000000001-run1.ndjson"))).hasSize(2)
                .allMatch(line -> !line.contains("k1"));
    }

    @Test
    void lineCutInsideACharacter_isNoEntry_theOthersMoveIntact_andItsBytesStay() throws Exception {
        ObjectNode accented = record("k2", T).put("name", "Café Zoë");
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T), RejectedEntry.refused("a.csv:8", 422, "{}", "k2",
                idempotencyKey("k2", T), accented, T, null));
        Path file = dataDir.rejected().resolve("g000000000001-run1.ndjson");
        String line = "{\"source\":\"a.csv:9\",\"body\":\"é";
        TestData.appendCutInsideACharacter(file, line); // a crash in the middle of é's two bytes

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.moved()).containsExactlyInAnyOrder("k1", "k2");
        assertThat(entries("failed")).anyMatch(entry -> entry.path("record").equals(accented));
        byte[] left = line.getBytes(StandardCharsets.UTF_8); // its bytes but the last, then the journal's newline
        left[left.length - 1] = '\n';
        assertThat(Files.readAllBytes(file)).containsExactly(left);
    }

    @Test
    void nothingMatches_exit0_andSaysSo() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T));

        RequeueResult result = requeue(filter().status("500"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.lines()).containsExactly(result.lines().get(0))
                .first().asString().contains("no record in rejected/ matches the filters");
        assertThat(files("failed")).isEmpty();
    }

    // --- when it refuses, dry run, output

    @Test
    void aRunHoldsTheLock_exit75_andNothingChanges() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T));
        Map<String, String> before = tree();

        RequeueResult result;
        try (RunLock run = RunLock.tryAcquire(dataDir.state()).orElseThrow()) {
            result = requeue(filter().status("422"));
        }

        assertThat(result.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(result.lines()).singleElement().asString().contains("a run holds the lock; try again after it");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void filesWaitInProcessing_exit75_andNothingChanges() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T));
        Files.writeString(dataDir.processing().resolve("b.ndjson"), "{\"id\":\"k1\"}\n");
        Map<String, String> before = tree();

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(result.lines()).singleElement().asString().contains("processing/");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void dryRun_printsWhatWouldMove_andChangesNothing() throws Exception {
        rejected("g000000000001-run1.ndjson", refused("k1", 422, T), refused("k2", 422, T));
        delivered("k2", T.plusSeconds(1));
        Map<String, String> before = tree();

        RequeueResult result = requeuer().requeue(filter().status("422").build(), true);

        assertThat(result.moved()).containsExactly("k1");
        assertThat(result.failedFile()).isNull();
        assertThat(result.lines().get(0)).contains("(dry run)").contains("would move 1 record(s)");
        assertThat(result.lines()).anyMatch(line -> line.contains("without --dry-run"));
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void dryRun_onADataDirNoRunHasUsed_findsNothing_andCreatesNoFolderNorLock() throws Exception {
        Path unused = Files.createDirectory(root.resolve("unused"));
        DataDir fresh = new DataDir(unused);
        Map<String, String> before = TestData.snapshot(unused);

        RequeueResult result = new Requeuer(redaction, fresh, new FileSequence(fresh), new Checkpoints(fresh),
                new Quarantine(fresh, clock), clock).requeue(RequeueFilter.of(List.of(), List.of(), List.of(),
                        List.of(), true), true);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.lines()).singleElement().asString()
                .contains("(dry run): no record in rejected/ matches the filters");
        assertThat(TestData.snapshot(unused)).isEqualTo(before);
    }

    @Test
    void summary_countsByReason_listsAtMostTenKeys_andMasksRedactedKeys() throws Exception {
        List<RejectedEntry> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(refused("k" + i, 422, T));
            delivered("k" + i, T.plusSeconds(1));
        }
        lines.add(refused("m1", 422, T));
        rejected("g000000000001-run1.ndjson", lines.toArray(RejectedEntry[]::new));
        redaction = new Redaction(List.of("id"), "id");

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.lines().get(0)).endsWith("moved 1 record(s) from rejected/ to failed/" + result.failedFile());
        assertThat(result.lines()).contains("  keys: ***", "  skipped 12, left in rejected/:");
        assertThat(result.lines()).anyMatch(line -> line.startsWith("    12 a newer version was delivered: ***")
                && line.endsWith(", … and 2 more"));
        assertThat(result.lines()).noneMatch(line -> line.contains("k1") || line.contains("m1"));
        assertThat(result.lines().get(result.lines().size() - 1)).contains("the next run delivers them first");
    }

    // --- fixtures

    RequeueResult requeue(Filter filter) throws IOException {
        return requeuer().requeue(filter.build(), false);
    }

    Requeuer requeuer() {
        return new Requeuer(redaction, dataDir, new FileSequence(dataDir), new Checkpoints(dataDir),
                new Quarantine(dataDir, clock), clock);
    }

    static Filter filter() {
        return new Filter();
    }

    /** Filter values as the options give them. */
    static final class Filter {
        final List<String> files = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final List<String> statuses = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        Filter file(String glob) {
            files.add(glob);
            return this;
        }

        Filter key(String key) {
            keys.add(key);
            return this;
        }

        Filter status(String status) {
            statuses.add(status);
            return this;
        }

        Filter reason(String reason) {
            reasons.add(reason);
            return this;
        }

        RequeueFilter build() {
            return RequeueFilter.of(files, keys, statuses, reasons, false);
        }
    }

    /** The record of version {@code at} of a key: its value tells versions apart. */
    static ObjectNode record(String key, Instant at) {
        return Json.MAPPER.createObjectNode().put("id", key).put("at", at.toString());
    }

    static String idempotencyKey(String key, Instant at) {
        return RecordKeys.sha256Hex(key + "@" + at);
    }

    static RejectedEntry refused(String key, int status, Instant at) {
        return refused(key, status, at, "a.ndjson:1", "{\"error\":\"invalid\"}");
    }

    /** A refusal whose record carries {@code v}: versions rejected at the same instant. */
    static RejectedEntry refused(String key, int status, Instant at, int v) {
        ObjectNode record = record(key, at).put("v", v);
        return RejectedEntry.refused("a.ndjson:" + v, status, "{}", key, idempotencyKey(key, at) + v, record, at, null);
    }

    static RejectedEntry refused(String key, int status, Instant at, String source, String body) {
        return RejectedEntry.refused(source, status, body, key, idempotencyKey(key, at), record(key, at), at, null);
    }

    void rejected(String file, RejectedEntry... entries) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (RejectedEntry entry : entries) {
            lines.append(Json.write(entry)).append('\n');
        }
        Files.writeString(dataDir.rejected().resolve(file), lines, StandardCharsets.UTF_8);
    }

    void delivered(String key, Instant at) throws IOException {
        try (DeliveredIndex index = DeliveredIndex.open(dataDir.state())) {
            index.delivered(key, RecordKeys.contentHash(key, record(key, at)), idempotencyKey(key, at),
                    Json.bytes(record(key, at)), at);
        }
    }

    List<JsonNode> entries(String folder) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        for (String file : files(folder)) {
            for (String line : Files.readAllLines(root.resolve(folder).resolve(file))) {
                if (!line.isBlank()) {
                    entries.add(Json.read(line));
                }
            }
        }
        return entries;
    }

    List<String> keys(String folder) throws IOException {
        return entries(folder).stream().map(entry -> entry.path("key").asText()).toList();
    }

    List<String> files(String folder) throws IOException {
        return DataDir.names(root.resolve(folder));
    }

    /** Every file under the data dir with a hash of its content (state/ included). */
    Map<String, String> tree() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isRegularFile).forEach(path -> {
                try {
                    tree.put(root.relativize(path).toString(), RecordKeys.sha256Hex(
                            new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return tree;
    }
}
