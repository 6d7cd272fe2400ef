package dev.ferry.requeue;

import static dev.ferry.requeue.RequeuerTest.T;
import static dev.ferry.requeue.RequeuerTest.filter;
import static dev.ferry.requeue.RequeuerTest.idempotencyKey;
import static dev.ferry.requeue.RequeuerTest.record;
import static dev.ferry.requeue.RequeuerTest.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.TestClock;
import dev.ferry.TestData;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.core.Shard;
import dev.ferry.delivery.Redaction;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.FileSequence;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RejectedEntry;
import dev.ferry.state.RunLock;

/**
 * ferry requeue with {@code ferry.shard.count=3}, run as shard 1, on a data dir laid out by hand: every shard's lock
 * is taken, each key is judged against its own shard's delivered index and failed/ folder, and each moved record
 * lands in its own shard's failed/ folder, in one new file per receiving shard named by that shard's sequence.
 */
class RequeueShardsTest {

    static final int COUNT = 3;
    static final Shard ME = new Shard(1, COUNT);
    static final String REJECTED = "g000000000001-run1-shard-0-of-3.ndjson";

    @TempDir
    Path root;

    DataDir dataDir;
    TestClock clock = new TestClock(Instant.parse("2026-06-01T12:00:00Z"));
    Redaction redaction = new Redaction(List.of(), "id");

    @BeforeEach
    void prepare() throws IOException {
        dataDir = new DataDir(root, ME);
        dataDir.prepare();
        for (Shard shard : ME.all()) { // state/shard-<i>-of-3/ferry.lock, as any run of each shard leaves it
            Files.createDirectories(dataDir.state(shard));
            RunLock.tryAcquire(dataDir.state(shard)).orElseThrow().close();
        }
    }

    @Test
    void recordsOfEveryShard_eachLandsInItsShardsFailedFolder_inAFileNamedByThatShardsSequence() throws Exception {
        List<String> keys = List.of(key(0, "a"), key(1, "a"), key(2, "a"), key(2, "b"));
        rejected(REJECTED, keys.stream().map(key -> refused(key, 422, T)).toArray(RejectedEntry[]::new));
        Files.writeString(view(2).state().resolve("sequence.json"), "{\"next\":41}");

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.moved()).containsExactlyInAnyOrderElementsOf(keys);
        for (Shard shard : ME.all()) {
            List<String> mine = keys.stream().filter(key -> Shard.of(key, COUNT) == shard.index()).toList();
            assertThat(keys(dataDir.failed(shard))).as("failed/ of %s", shard)
                    .containsExactlyInAnyOrderElementsOf(mine);
            assertThat(DataDir.names(dataDir.failed(shard))).hasSize(1);
        }
        assertThat(DataDir.names(dataDir.failed(new Shard(2, COUNT)))).singleElement().asString()
                .startsWith("g000000000041-requeue-");
        assertThat(result.shards()).extracting(RequeueResult.ShardFile::shard)
                .containsExactly("shard-0-of-3", "shard-1-of-3", "shard-2-of-3");
        assertThat(result.shards().get(2).failedFile()).startsWith("shard-2-of-3/g000000000041-requeue-");
        assertThat(result.shards().get(2).keys()).containsExactlyInAnyOrder(key(2, "a"), key(2, "b"));
        assertThat(DataDir.names(dataDir.rejected())).isEmpty();
        assertThat(root.resolve("state/requeue-shards-of-3.json")).doesNotExist();
        assertThat(result.lines()).anyMatch(line -> line.equals("  shard-2-of-3: 2 to failed/"
                + result.shards().get(2).failedFile() + ": " + String.join(", ", result.shards().get(2).keys())));
    }

    @Test
    void orderingRule_judgesEachKeyByItsOwnShardsIndexAndFailedFolder() throws Exception {
        String deliveredLater = key(0, "late"); // another shard's key, delivered after the rejection by that shard
        String waiting = key(2, "wait"); // another shard's key, an older version waiting in that shard's failed/
        String deliveredEarlier = key(2, "early");
        String mine = key(1, "mine");
        rejected(REJECTED, refused(deliveredLater, 422, T), refused(waiting, 422, T),
                refused(deliveredEarlier, 422, T), refused(mine, 422, T));
        delivered(0, deliveredLater, T.plusSeconds(60));
        delivered(2, deliveredEarlier, T.minusSeconds(60));
        delivered(1, mine, T.minusSeconds(60));
        Files.createDirectories(dataDir.failed(new Shard(2, COUNT)));
        Files.writeString(dataDir.failed(new Shard(2, COUNT)).resolve("g000000000003-run2-shard-2-of-3.ndjson"),
                Json.write(new FailedEntry(waiting, "i", record(waiting, T), "b.ndjson:1", 3, "HTTP 503", T, 1, T,
                        null, null)) + "\n");

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.moved()).containsExactlyInAnyOrder(deliveredEarlier, mine);
        assertThat(result.skipped()).containsEntry(SkipReason.NEWER_DELIVERED, List.of(deliveredLater))
                .containsEntry(SkipReason.WAITING, List.of(waiting));
        assertThat(keys(dataDir.rejected())).containsExactlyInAnyOrder(deliveredLater, waiting);
        assertThat(keys(dataDir.failed(new Shard(2, COUNT)))).containsExactlyInAnyOrder(waiting, deliveredEarlier);
        assertThat(keys(dataDir.failed(ME))).containsExactly(mine);
        assertThat(result.shards().get(0).keys()).isEmpty();
        assertThat(result.shards().get(0).failedFile()).isNull();
        assertThat(result.lines()).contains("  shard-0-of-3: none");
    }

    @Test
    void anotherShardsRunHoldsItsLock_exit75_namingTheShard_nothingMoved_andTheLocksTakenAreReleased()
            throws Exception {
        rejected(REJECTED, refused(key(0, "a"), 422, T), refused(key(2, "a"), 422, T));
        Map<String, String> before;
        RequeueResult result;
        try (RunLock other = RunLock.tryAcquire(view(2).state()).orElseThrow()) {
            before = tree();
            result = requeue(filter().status("422"));
        }

        assertThat(result.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(result.lines()).singleElement().asString()
                .contains("a run of shard-2-of-3 holds the lock; try again after it");
        assertThat(tree()).isEqualTo(before);
        for (int i = 0; i < 2; i++) {
            Optional<RunLock> free = RunLock.tryAcquire(view(i).state());
            assertThat(free).as("the lock of shard %d is released", i).isPresent();
            free.get().close();
        }
    }

    @Test
    void dryRun_showsPerShardWhatWouldMove_andChangesNothing() throws Exception {
        rejected(REJECTED, refused(key(0, "a"), 422, T), refused(key(2, "a"), 422, T));
        Map<String, String> before = tree();

        RequeueResult result = requeuer().requeue(filter().status("422").build(), true);

        assertThat(result.lines().get(0)).contains("(dry run): would move 2 record(s) from rejected/ to the failed/ "
                + "folders of their shards");
        assertThat(result.lines()).contains("  shard-0-of-3: would move 1: " + key(0, "a"), "  shard-1-of-3: none",
                "  shard-2-of-3: would move 1: " + key(2, "a"));
        assertThat(result.shards()).allMatch(shard -> shard.failedFile() == null);
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void dryRun_whereOnlyOneShardHasRun_createsNoStateFolderNorLockForTheOthers() throws Exception {
        Path used = Files.createDirectory(root.resolve("used-by-shard-0"));
        DataDir shard0 = new DataDir(used, new Shard(0, COUNT));
        shard0.prepare();
        RunLock.tryAcquire(shard0.state()).orElseThrow().close();
        Files.writeString(shard0.rejected().resolve(REJECTED), Json.write(refused(key(2, "a"), 422, T)) + "\n");
        DataDir me = new DataDir(used, ME);
        Map<String, String> before = TestData.snapshot(used);

        RequeueResult result = new Requeuer(redaction, me, new FileSequence(me), new Checkpoints(me),
                new Quarantine(me, clock), clock).requeue(filter().status("422").build(), true);

        assertThat(result.lines()).contains("  shard-2-of-3: would move 1: " + key(2, "a"));
        assertThat(TestData.snapshot(used)).isEqualTo(before);
    }

    @Test
    void aKeyDeliveredAfterItsRejection_byRunsOfAnEarlierCount_orUnsharded_isSkipped() throws Exception {
        String byTwo = key(0, "two");
        String unsharded = key(2, "one");
        String notSince = key(1, "since");
        rejected(REJECTED, refused(byTwo, 422, T), refused(unsharded, 422, T), refused(notSince, 422, T));
        delivered(new DataDir(root, new Shard(Shard.of(byTwo, 2), 2)), byTwo, T.plusSeconds(60));
        delivered(new DataDir(root, Shard.SINGLE), unsharded, T.plusSeconds(60));
        delivered(new DataDir(root, Shard.SINGLE), notSince, T.minusSeconds(60));
        delivered(new DataDir(root, new Shard(Shard.of(notSince, 2), 2)), notSince, T.minusSeconds(30));

        RequeueResult result = requeue(filter().status("422"));

        assertThat(result.skipped().get(SkipReason.NEWER_DELIVERED)).containsExactlyInAnyOrder(byTwo, unsharded);
        assertThat(result.moved()).containsExactly(notSince);
    }

    @Test
    void recordsWaitingInTheFailedFolderOfAnotherCount_refused_namingTheCount_andNothingMoves() throws Exception {
        rejected(REJECTED, refused(key(0, "a"), 422, T));
        DataDir old = new DataDir(root, new Shard(0, 2));
        old.prepare();
        Files.writeString(old.failed().resolve("g000000000001-run0-shard-0-of-2.ndjson"), "{\"key\":\"a0\"}\n");
        Map<String, String> before = tree();

        assertThatThrownBy(() -> requeue(filter().status("422"))).isInstanceOf(ConfigurationError.class)
                .hasMessageStartingWith("ferry.shard.count: is 3").hasMessageContaining("failed/shard-0-of-2");
        assertThat(tree()).isEqualTo(before);
    }

    // --- fixtures

    RequeueResult requeue(RequeuerTest.Filter filter) throws IOException {
        return requeuer().requeue(filter.build(), false);
    }

    Requeuer requeuer() {
        return new Requeuer(redaction, dataDir, new FileSequence(dataDir), new Checkpoints(dataDir),
                new Quarantine(dataDir, clock), clock);
    }

    DataDir view(int shard) {
        return new DataDir(root, new Shard(shard, COUNT));
    }

    /** The first key {@code <prefix><n>} whose shard among {@value #COUNT} is {@code shard}. */
    static String key(int shard, String prefix) {
        return key(shard, COUNT, prefix);
    }

    /** The first key {@code <prefix><n>} whose shard among {@code count} is {@code shard}. */
    static String key(int shard, int count, String prefix) {
        for (int n = 0;; n++) {
            if (Shard.of(prefix + n, count) == shard) {
                return prefix + n;
            }
        }
    }

    void rejected(String file, RejectedEntry... entries) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (RejectedEntry entry : entries) {
            lines.append(Json.write(entry)).append('\n');
        }
        Files.writeString(dataDir.rejected().resolve(file), lines, StandardCharsets.UTF_8);
    }

    void delivered(int shard, String key, Instant at) throws IOException {
        delivered(view(shard), key, at);
    }

    /** {@code key} delivered at {@code at} by a run of {@code layout}'s shard. */
    static void delivered(DataDir layout, String key, Instant at) throws IOException {
        layout.prepare();
        try (DeliveredIndex index = DeliveredIndex.open(layout.state())) {
            index.delivered(key, RecordKeys.contentHash(key, record(key, at)), idempotencyKey(key, at),
                    Json.bytes(record(key, at)), at);
        }
    }

    /** Every file under the data dir with its content. */
    Map<String, String> tree() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.filter(Files::isRegularFile).toList()) {
                tree.put(root.relativize(path).toString(), Files.readString(path, StandardCharsets.ISO_8859_1));
            }
        }
        return tree;
    }

    static List<String> keys(Path folder) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String file : DataDir.names(folder)) {
            for (String line : Files.readAllLines(folder.resolve(file))) {
                if (!line.isBlank()) {
                    JsonNode entry = Json.read(line);
                    keys.add(entry.path("key").asText());
                }
            }
        }
        return keys;
    }
}
