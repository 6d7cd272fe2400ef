package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestClock;
import dev.ferry.state.AppendLog;
import dev.ferry.state.Checkpoint;

/** Out-of-order settling, the checkpoint it makes (a low-water mark plus what is settled beyond it), idle waits. */
class SettlementsTest {

    @TempDir
    Path folder;

    final TestClock clock = new TestClock();

    @Test
    void checkpoint_keepsTheFirstUnsettledRecord_andTheSettledOnesBeyondIt() throws Exception {
        Settlements settlements = new Settlements(Checkpoint.start("a.ndjson", Checkpoint.Kind.SOURCE));
        settlements.begin(0, 0, 10, 1);
        settlements.begin(10, 1, 20, 2);
        settlements.begin(20, 2, 30, 3);

        settlements.settle(20, null);
        settlements.settle(0, null);

        Checkpoint checkpoint = snapshot(settlements);
        assertThat(checkpoint.offset()).as("record 2 is still in flight").isEqualTo(10);
        assertThat(checkpoint.line()).isEqualTo(1);
        assertThat(checkpoint.settledAhead()).containsExactly(20L);

        settlements.settle(10, null);
        checkpoint = snapshot(settlements);
        assertThat(checkpoint.offset()).as("all settled: the mark is where the reader is").isEqualTo(30);
        assertThat(checkpoint.settledAhead()).as("nothing beyond the mark").isEmpty();
        assertThat(settlements.allSettled()).isTrue();
    }

    @Test
    void resumedFile_knowsWhatTheCrashedRunSettledBeyondItsMark() throws Exception {
        Settlements settlements = new Settlements(new Checkpoint("a.ndjson", Checkpoint.Kind.SOURCE, 10, 1,
                List.of(30L), null, 0, null, 0, false, null, null));

        assertThat(settlements.settledBefore(30)).isTrue();
        assertThat(settlements.settledBefore(20)).isFalse();
    }

    @Test
    void leftRecord_staysUnsettled_soTheCheckpointDoesNotPassIt() throws Exception {
        Settlements settlements = new Settlements(Checkpoint.start("a.ndjson", Checkpoint.Kind.SOURCE));
        settlements.begin(0, 0, 10, 1);
        settlements.begin(10, 1, 20, 2);
        settlements.settle(10, null);

        settlements.leave(); // record 1 ended without settling: the run stops

        assertThat(snapshot(settlements).offset()).isZero();
        assertThat(settlements.awaitIdle(Duration.ZERO, clock)).as("nothing in flight any more").isTrue();
        assertThat(settlements.allSettled()).isFalse();
    }

    @Test
    void awaitIdle_endsWhenTheLastRecordSettles_orWhenTheClockPassesTheLimit() throws Exception {
        Settlements settlements = new Settlements(Checkpoint.start("a.ndjson", Checkpoint.Kind.SOURCE));
        settlements.begin(0, 0, 10, 1);

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> idle(settlements, Duration.ofHours(1)));
        settlements.settle(0, null);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();

        settlements.begin(10, 1, 20, 2);
        CompletableFuture<Boolean> timedOut = new CompletableFuture<>();
        Thread waiter = new Thread(() -> timedOut.complete(idle(settlements, Duration.ofSeconds(5))));
        waiter.start();
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until the waiter has read the clock and waits
        }
        clock.advance(Duration.ofSeconds(6));
        synchronized (settlements) {
            settlements.notifyAll(); // the waiter looks at the clock again
        }
        assertThat(timedOut.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void snapshotDeletes_settledOutOfOrder_checkpointTheLastKeyUpToWhichAllAreSettled() throws Exception {
        Settlements settlements = new Settlements(Checkpoint.start("s.ndjson", Checkpoint.Kind.SOURCE));
        settlements.startSnapshot();
        settlements.deleting();
        Settlements.Pending a = settlements.beginDelete("a");
        Settlements.Pending b = settlements.beginDelete("b");
        Settlements.Pending c = settlements.beginDelete("c");

        c.settle(null);
        assertThat(snapshot(settlements).snapshot().deletedUpTo()).as("a is still in flight").isNull();
        a.settle(null);
        assertThat(snapshot(settlements).snapshot().deletedUpTo()).isEqualTo("a");
        b.leave(); // the run stops: b stays for the next run, and c after it
        assertThat(snapshot(settlements).snapshot().deletedUpTo()).isEqualTo("a");
        assertThat(settlements.allSettled()).isFalse();

        Settlements resumed = new Settlements(snapshot(settlements));
        assertThat(resumed.phase()).isEqualTo(Checkpoint.Snapshot.Phase.DELETING);
        assertThat(resumed.deletedUpTo()).isEqualTo("a");
        resumed.beginDelete("b").settle(null);
        resumed.beginDelete("c").settle(null);
        assertThat(resumed.allSettled()).isTrue();
        assertThat(snapshot(resumed).snapshot().deletedUpTo()).isEqualTo("c");
    }

    @Test
    void snapshotHolds_areKeptByTheCheckpoint_andAFileThatIsNoSnapshotHasNone() throws Exception {
        Settlements snapshot = new Settlements(Checkpoint.start("s.ndjson", Checkpoint.Kind.SOURCE));
        snapshot.startSnapshot();
        snapshot.begin(0, 0, 10, 1);
        snapshot.settle(0, snapshot::hold);

        assertThat(new Settlements(snapshot(snapshot)).holds()).isEqualTo(1);
        assertThat(snapshot(new Settlements(Checkpoint.start("a.ndjson", Checkpoint.Kind.SOURCE))).snapshot())
                .isNull();
    }

    private Checkpoint snapshot(Settlements settlements) {
        return settlements.snapshot(new AppendLog(folder, () -> "run.ndjson"), new AppendLog(folder, () -> "run.ndjson"), false);
    }

    private boolean idle(Settlements settlements, Duration most) {
        try {
            return settlements.awaitIdle(most, clock);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
