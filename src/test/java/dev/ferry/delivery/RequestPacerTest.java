package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RequestPacerTest {

    @Test
    void eightCallers_neverStartAheadOfTheirSlot_oneOverTheRateApart() throws Exception {
        RequestPacer pacer = new RequestPacer(OptionalDouble.of(20));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(8);
        long origin = System.nanoTime();
        for (int i = 0; i < 41; i++) {
            callers.execute(() -> {
                try {
                    pacer.await();
                    starts.add(System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        callers.shutdown();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        // a caller may wake late (a loaded machine), never early: the i-th start is at least i × 50 ms in
        List<Long> sorted = starts.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMicros(sorted.get(i) - origin)).as("start %d", i)
                    .isGreaterThanOrEqualTo(i * 50_000L);
        }
    }

    @Test
    void noRate_neverWaits() throws Exception {
        RequestPacer pacer = new RequestPacer(OptionalDouble.empty());
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            pacer.await();
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
    }
}
