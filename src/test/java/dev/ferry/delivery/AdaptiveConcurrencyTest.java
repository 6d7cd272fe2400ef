package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyTest {

    @Test
    void tooManyRequests_halvesTheLimitOncePerEvent_andSuccessesAddOneEach() {
        AdaptiveConcurrency limit = new AdaptiveConcurrency(8);
        assertThat(limit.limit()).as("slow start").isEqualTo(1);
        for (int i = 0; i < 7; i++) {
            limit.answered(limit.generation(), 200);
        }
        assertThat(limit.limit()).isEqualTo(8);
        long sent = limit.generation(); // eight attempts sent before any answer

        limit.answered(sent, 429);
        limit.answered(sent, 503);
        limit.answered(sent, 429);

        assertThat(limit.limit()).as("answers to requests sent before the decrease do not halve again").isEqualTo(4);
        for (int i = 0; i < 5; i++) {
            limit.answered(sent, 200);
        }
        assertThat(limit.limit()).isEqualTo(8);
        limit.answered(limit.generation(), 500);
        limit.answered(limit.generation(), 0);
        assertThat(limit.limit()).as("other faults are not congestion").isEqualTo(8);

        limit.answered(limit.generation(), 503);
        assertThat(limit.limit()).isEqualTo(4);
        limit.answered(limit.generation(), 503);
        assertThat(limit.limit()).as("a new event halves again").isEqualTo(2);

        limit.startRun();
        assertThat(limit.limit()).as("each run starts slow").isEqualTo(1);
    }

    @Test
    void limitReached_aRecordWaitsUntilOneEnds_retriesDoNotFreeTheSlot() throws Exception {
        AdaptiveConcurrency limit = new AdaptiveConcurrency(2);
        AdaptiveConcurrency.Slot first = limit.acquire(); // record 1, limit 1
        limit.answered(limit.generation(), 503); // its first attempt: still limit 1
        Thread second = new Thread(() -> {
            try {
                limit.acquire().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        second.join(200);
        assertThat(second.isAlive()).as("record 1 holds the only slot between its attempts").isTrue();

        limit.answered(limit.generation(), 200); // record 1's retry succeeds: limit 2
        second.join(2000);
        assertThat(second.isAlive()).as("a success raises the limit and wakes the waiting record").isFalse();
        first.close();
        first.close(); // a slot frees its place once, however often it is closed
        assertThat(limit.limit()).isEqualTo(2);
    }
}
