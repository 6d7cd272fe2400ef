package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.TestClock;
import dev.ferry.core.Shard;

/**
 * A requeue's move into the failed/ folders of three shards, stopped after each of its durable steps as a kill -9
 * would stop it: the move is done only when every shard's failed/ file is there, else undone (the files already
 * committed deleted), so every record ends in exactly one place; and a shard's run completes such a move only while
 * it can take every other shard's lock.
 */
class RequeueJournalShardsTest {

    static final int COUNT = 3;
    static final String A = "g000000000001-run1-shard-0-of-3.ndjson";
    static final String B = "g000000000002-run2-shard-1-of-3.ndjson";

    @TempDir
    Path root;

    static final class Killed extends RuntimeException {
        Killed(String step) {
            super("killed after " + step, null, false, false);
        }
    }

    @ParameterizedTest(name = "killed after {0} #{1}: the records moved = {2}")
    @CsvSource({
            RequeueJournal.JOURNAL_WRITTEN + ", 1, false",
            RequeueJournal.FAILED_WRITTEN + ", 1, false",
            RequeueJournal.FAILED_WRITTEN + ", 3, false",
            RequeueJournal.FAILED_COMMITTED + ", 1, false",
            RequeueJournal.FAILED_COMMITTED + ", 2, false",
            RequeueJournal.FAILED_COMMITTED + ", 3, true",
            RequeueJournal.REJECTED_REWRITTEN + ", 1, true",
            RequeueJournal.REJECTED_REWRITTEN + ", 2, true" })
    void killedAfterAStep_theNextStartCompletesOrUndoesIt_everyRecordInExactlyOnePlace(String step, int nth,
            boolean moved) throws Exception {
        DataDir dataDir = layout(new Shard(1, COUNT));
        String before = Files.readString(dataDir.rejected().resolve(A));
        int[] passed = { 0 };

        assertThatThrownBy(() -> RequeueJournal.move(dataDir, targets(), leaving(), done -> {
            if (done.equals(step) && ++passed[0] == nth) {
                throw new Killed(done);
            }
        })).isInstanceOf(Killed.class);
        assertThat(RequeueJournal.path(dataDir)).as("the journal outlives the kill")
                .isEqualTo(root.resolve("state/requeue-shards-of-3.json")).exists();

        RequeueJournal.complete(dataDir, new Quarantine(dataDir, new TestClock()), "next-run");

        for (int i = 0; i < COUNT; i++) {
            assertThat(RequeueJournalTest.keys(dataDir.failed(new Shard(i, COUNT)))).as("failed/ of shard %d", i)
                    .containsExactlyElementsOf(moved ? List.of("x" + i) : List.of());
        }
        assertThat(RequeueJournalTest.keys(dataDir.rejected())).containsExactlyInAnyOrderElementsOf(
                moved ? List.of("y") : List.of("x0", "y", "x1", "x2"));
        if (!moved) {
            assertThat(Files.readString(dataDir.rejected().resolve(A))).isEqualTo(before);
        }
        assertThat(RequeueJournal.path(dataDir)).doesNotExist();
        assertThat(RequeueJournalTest.leftovers(dataDir)).isEmpty();
    }

    @Test
    void move_runToTheEnd_writesOneFilePerShard_inItsFolder_andNoJournal() throws Exception {
        DataDir dataDir = layout(new Shard(0, COUNT));

        RequeueJournal.move(dataDir, targets(), leaving());

        for (int i = 0; i < COUNT; i++) {
            Path failed = dataDir.failed(new Shard(i, COUNT));
            assertThat(DataDir.names(failed)).containsExactly(file(i));
            assertThat(RequeueJournalTest.keys(failed)).containsExactly("x" + i);
        }
        assertThat(RequeueJournalTest.keys(dataDir.rejected())).containsExactly("y");
        assertThat(RequeueJournal.path(dataDir)).doesNotExist();
    }

    @Test
    void aShardsRun_withAPendingMove_andAnotherShardsLockHeld_completesNothing() throws Exception {
        DataDir me = killedAfterTheFailedFiles(new Shard(1, COUNT));
        Map<String, String> rejectedBefore = Map.of(A, Files.readString(me.rejected().resolve(A)));

        boolean completed;
        try (RunLock mine = RunLock.tryAcquire(me.state()).orElseThrow();
                RunLock other = RunLock.tryAcquire(me.state(new Shard(2, COUNT))).orElseThrow()) {
            completed = RequeueJournal.completeAcrossShards(me, new Quarantine(me, new TestClock()), "run-1");
        }

        assertThat(completed).isFalse();
        assertThat(RequeueJournal.path(me)).exists();
        assertThat(Files.readString(me.rejected().resolve(A))).isEqualTo(rejectedBefore.get(A));
        Optional<RunLock> taken = RunLock.tryAcquire(me.state(new Shard(0, COUNT)));
        assertThat(taken).as("the lock it took is released").isPresent();
        taken.get().close();
    }

    @Test
    void aShardsRun_withAPendingMove_thatGetsEveryLock_completesIt() throws Exception {
        DataDir me = killedAfterTheFailedFiles(new Shard(1, COUNT));

        boolean completed;
        try (RunLock mine = RunLock.tryAcquire(me.state()).orElseThrow()) {
            completed = RequeueJournal.completeAcrossShards(me, new Quarantine(me, new TestClock()), "run-1");
        }

        assertThat(completed).isTrue();
        assertThat(RequeueJournal.path(me)).doesNotExist();
        assertThat(RequeueJournalTest.keys(me.rejected())).containsExactly("y");
        assertThat(RequeueJournalTest.keys(me.failed(new Shard(2, COUNT)))).containsExactly("x2");
    }

    @Test
    void aCorruptShardJournal_namingAFileOutsideTheShardsFolders_goesToQuarantine() throws Exception {
        DataDir dataDir = layout(new Shard(0, COUNT));
        Files.writeString(RequeueJournal.path(dataDir),
                "{\"failedFiles\":[\"shard-0-of-2/x.ndjson\"],\"removals\":[]}");

        RequeueJournal.complete(dataDir, new Quarantine(dataDir, new TestClock()), "next-run");

        assertThat(RequeueJournal.path(dataDir)).doesNotExist();
        assertThat(DataDir.names(dataDir.quarantine())).contains("requeue-shards-of-3.json");
        assertThat(RequeueJournalTest.keys(dataDir.rejected())).containsExactly("x0", "y", "x1", "x2");
    }

    /** A move killed with every failed/ file committed and rejected/ not rewritten yet. */
    DataDir killedAfterTheFailedFiles(Shard shard) throws IOException {
        DataDir dataDir = layout(shard);
        int[] commits = { 0 };
        assertThatThrownBy(() -> RequeueJournal.move(dataDir, targets(), leaving(), done -> {
            if (done.equals(RequeueJournal.FAILED_COMMITTED) && ++commits[0] == COUNT) {
                throw new Killed(done);
            }
        })).isInstanceOf(Killed.class);
        return dataDir;
    }

    /** rejected/A: x0, y, x1 (x0 and x1 leave); rejected/B: x2 (leaves, emptying B). Every shard's folders exist. */
    DataDir layout(Shard shard) throws IOException {
        for (int i = 0; i < COUNT; i++) {
            new DataDir(root, new Shard(i, COUNT)).prepare();
        }
        DataDir dataDir = new DataDir(root, shard);
        Files.writeString(dataDir.rejected().resolve(A),
                RequeueJournalTest.line("x0") + RequeueJournalTest.line("y") + RequeueJournalTest.line("x1"));
        Files.writeString(dataDir.rejected().resolve(B), RequeueJournalTest.line("x2"));
        return dataDir;
    }

    static Map<String, List<Integer>> leaving() {
        return Map.of(A, List.of(0, 2), B, List.of(0));
    }

    /** Record xi goes to shard i (the journal does not check keys against shards: the requeue chose them). */
    static List<RequeueJournal.Target> targets() {
        List<RequeueJournal.Target> targets = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            FailedEntry entry = RequeueJournalTest.failedEntries().get(0);
            String key = "x" + i;
            targets.add(new RequeueJournal.Target(new Shard(i, COUNT), file(i),
                    List.of(new FailedEntry(key, "fresh-" + key, RequeueJournalTest.record(key), entry.source(), 0,
                            entry.lastError(), entry.failedAt(), 0, entry.firstFailedAt(), null, null))));
        }
        return targets;
    }

    static String file(int shard) {
        return String.format("g%012d-requeue-x.ndjson", 7 + shard);
    }
}
