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
    void eightCallers_areSpacedByOneOverTheRate() throws Exception {
        RequestPacer pacer = new RequestPacer(OptionalDouble.of(20));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(8);
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

        List<Long> sorted = starts.stream().sorted().toList();
        assertThat(TimeUnit.NANOSECONDS.toMillis(sorted.get(40) - sorted.get(0))).isGreaterThanOrEqualTo(1995);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(sorted.get(i) - sorted.get(i - 1))).isGreaterThanOrEqualTo(40);
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
