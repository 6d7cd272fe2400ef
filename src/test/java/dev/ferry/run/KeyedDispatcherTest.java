package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Per-key order, never two tasks of a key at once, a bounded number pending, and no key stranded by a failure. */
class KeyedDispatcherTest {

    @Test
    void tasksOfOneKey_runInSubmissionOrder_neverTwoAtOnce() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(300);
        try (KeyedDispatcher dispatcher = new KeyedDispatcher(8, 1000)) {
            for (int i = 0; i < 300; i++) {
                String key = "k" + (i % 3);
                int n = i;
                dispatcher.submit(key, () -> {
                    if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    order.add(key + ":" + n);
                    running.get(key).decrementAndGet();
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(overlaps).hasValue(0);
        for (String key : List.of("k0", "k1", "k2")) {
            List<Integer> seen = order.stream().filter(e -> e.startsWith(key + ":"))
                    .map(e -> Integer.parseInt(e.substring(3))).toList();
            assertThat(seen).hasSize(100).isSorted();
        }
    }

    @Test
    void taskThatThrows_handsItsKeyOnToTheNextTask() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        try (KeyedDispatcher dispatcher = new KeyedDispatcher(2, 10)) {
            dispatcher.submit("k", () -> {
                throw new IllegalStateException("boom");
            });
            dispatcher.submit("k", next::countDown);

            assertThat(next.await(10, TimeUnit.SECONDS)).as("the key's next task ran").isTrue();
            assertThat(dispatcher.awaitRoom(0)).isTrue();
        }
    }

    @Test
    void pendingTasks_areBoundedByTheCapacity() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (KeyedDispatcher dispatcher = new KeyedDispatcher(2, 3)) {
            for (int i = 0; i < 3; i++) {
                dispatcher.submit("k" + (i % 2), () -> await(release));
            }
            assertThat(dispatcher.awaitRoom(10)).as("three pending: no room").isFalse();

            release.countDown();

            assertThat(dispatcher.awaitRoom(10_000)).isTrue();
        }
    }

    @Test
    void fullDispatcher_wakesItsReaderOnceHalfTheTasksEnded_notAtEachEnd() throws Exception {
        List<CountDownLatch> releases = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1),
                new CountDownLatch(1));
        try (KeyedDispatcher dispatcher = new KeyedDispatcher(4, 4)) {
            for (int i = 0; i < 4; i++) {
                CountDownLatch release = releases.get(i);
                dispatcher.submit("k" + i, () -> await(release));
            }
            AtomicInteger room = new AtomicInteger(-1);
            Thread reader = new Thread(() -> {
                try {
                    room.set(dispatcher.awaitRoom(60_000) ? 1 : 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            reader.start();
            while (reader.getState() != Thread.State.TIMED_WAITING) { // in awaitRoom's wait, holding no monitor
                Thread.onSpinWait();
            }

            releases.get(0).countDown(); // 3 pending: there is room, but the reader is not woken for one record
            reader.join(300);
            assertThat(reader.isAlive()).as("woken after one task of four").isTrue();

            releases.get(1).countDown(); // 2 pending: half the capacity
            reader.join(10_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(room).hasValue(1);
            releases.forEach(CountDownLatch::countDown);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
