package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Shard;

/**
 * How shards share the data dir (DataDir is the one place that knows): each its own state and failed/ folder,
 * everything else shared; unsharded, the layout of earlier releases. Work that another shard count left is found.
 */
class ShardLayoutTest {

    @TempDir
    Path root;

    @Test
    void unsharded_keepsTheLayoutOfEarlierReleases() {
        DataDir dataDir = new DataDir(root, Shard.SINGLE);
        dataDir.prepare();

        assertThat(dataDir.state()).isEqualTo(root.resolve("state"));
        assertThat(dataDir.failed()).isEqualTo(root.resolve("failed"));
        assertThat(root.resolve("state/checkpoints")).isDirectory();
    }

    @Test
    void aShard_hasStateAndFailedFoldersOfItsOwn_andSharesTheRest() {
        DataDir dataDir = new DataDir(root, new Shard(1, 3));
        dataDir.prepare();

        assertThat(dataDir.state()).isEqualTo(root.resolve("state/shard-1-of-3"));
        assertThat(dataDir.failed()).isEqualTo(root.resolve("failed/shard-1-of-3"));
        assertThat(root.resolve("state/shard-1-of-3/checkpoints")).isDirectory();
        assertThat(root.resolve("failed/shard-1-of-3")).isDirectory();
        assertThat(List.of(dataDir.inbox(), dataDir.processing(), dataDir.done(), dataDir.rejected(),
                dataDir.reports(), dataDir.quarantine()))
                .isEqualTo(List.of(root.resolve("inbox"), root.resolve("processing"), root.resolve("done"),
                        root.resolve("rejected"), root.resolve("reports"), root.resolve("quarantine")));
        assertThat(root.resolve("state/checkpoints")).doesNotExist();
    }

    @Test
    void prepare_namesTheIndex_whenItIsNotOneOfTheCounts() {
        assertThatThrownBy(() -> new DataDir(root, new Shard(4, 4)).prepare())
                .isInstanceOf(ConfigurationError.class).hasMessageStartingWith("ferry.shard.index: is 4");
        assertThat(root.resolve("state")).doesNotExist();
    }

    @Test
    void unshardedFailedNames_leaveOutTheFoldersOfShards() throws Exception {
        new DataDir(root, new Shard(0, 2)).prepare();
        DataDir unsharded = new DataDir(root, Shard.SINGLE);
        unsharded.prepare();
        Files.writeString(root.resolve("failed/g000000000001-run.ndjson"), "{}\n");
        Files.createDirectories(root.resolve("failed/shard-9-note")); // not a shard's name: an entry like any other

        assertThat(unsharded.failedNames()).containsExactly("g000000000001-run.ndjson", "shard-9-note");
    }

    @Test
    void workOfOtherCounts_isNone_onAFreshDataDir_andForTheSameCount() throws Exception {
        DataDir shard0 = new DataDir(root, new Shard(0, 2));
        shard0.prepare();
        Files.writeString(shard0.failed().resolve("g1.ndjson"), "{}\n");

        assertThat(layouts(new DataDir(root, new Shard(1, 2))).workOfOtherCounts()).isEmpty();
    }

    @Test
    void workOfOtherCounts_findsFailedRecordsAndCheckpoints_ofAnotherCount() throws Exception {
        DataDir old = new DataDir(root, new Shard(2, 3));
        old.prepare();
        Files.writeString(old.failed().resolve("g1.ndjson"), "{}\n");
        Files.writeString(old.checkpoints(old.shard()).resolve("source-ab.json"), "{}");
        Files.writeString(old.state().resolve("breaker.json"), "{}"); // not work: a breaker, no record
        DataDir now = new DataDir(root, new Shard(0, 2));
        now.prepare();

        assertThat(layouts(now).workOfOtherCounts()).satisfiesExactly(
                line -> assertThat(line).contains("ferry.shard.count 3", "1 checkpoint(s)",
                        "state/shard-2-of-3/checkpoints"),
                line -> assertThat(line).contains("ferry.shard.count 3", "1 file(s)", "failed/shard-2-of-3"));
    }

    @Test
    void workOfOtherCounts_findsTheUnshardedLayoutsWork_forShards_andTheShardsWork_unsharded() throws Exception {
        DataDir unsharded = new DataDir(root, Shard.SINGLE);
        unsharded.prepare();
        Files.writeString(unsharded.failed().resolve("g1.ndjson"), "{}\n");
        DataDir shard = new DataDir(root, new Shard(0, 2));
        shard.prepare();

        assertThat(layouts(shard).workOfOtherCounts()).singleElement().asString()
                .contains("ferry.shard.count 1", "failed");

        Files.delete(unsharded.failed().resolve("g1.ndjson"));
        Files.writeString(shard.processing().resolve("a.csv"), "id\n1\n");
        new ShardClaims(shard).agree("a.csv", "run-1.1");

        assertThat(layouts(shard).workOfOtherCounts()).isEmpty();
        assertThat(layouts(unsharded).workOfOtherCounts()).singleElement().asString()
                .contains("processing/a.csv", "another ferry.shard.count");
    }

    @Test
    void workOfOtherCounts_findsAFileInProcessing_thatShardsOfAnotherCountPartlyFinished() throws Exception {
        DataDir old = new DataDir(root, new Shard(1, 3));
        old.prepare();
        Files.writeString(old.processing().resolve("a.csv"), "id\n1\n");
        ShardClaims claims = new ShardClaims(old);
        claims.markDone("a.csv", claims.agree("a.csv", "run-1.1"), old.shard());
        DataDir now = new DataDir(root, new Shard(0, 2));
        now.prepare();

        assertThat(layouts(now).workOfOtherCounts()).singleElement().asString().contains("processing/a.csv");
    }

    @Test
    void workOfOtherCounts_findsARequeuesMoveLeftIncomplete_byAnotherCount() throws Exception {
        DataDir old = new DataDir(root, new Shard(1, 3));
        old.prepare();
        Files.writeString(RequeueJournal.path(old), "{}");
        DataDir now = new DataDir(root, new Shard(0, 2));
        now.prepare();

        assertThat(layouts(now).workOfOtherCounts()).singleElement().asString()
                .contains("ferry.shard.count 3", "ferry requeue", "state/requeue-shards-of-3.json");
        assertThat(layouts(old).workOfOtherCounts()).as("its own count's journal is not another's work").isEmpty();
        assertThat(layouts(new DataDir(root, Shard.SINGLE)).workOfOtherCounts()).singleElement().asString()
                .contains("state/requeue-shards-of-3.json");
    }

    private static ShardLayouts layouts(DataDir dataDir) {
        return new ShardLayouts(dataDir, new ShardClaims(dataDir));
    }
}
