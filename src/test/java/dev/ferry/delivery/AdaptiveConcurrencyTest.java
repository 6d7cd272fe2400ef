package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyTest {

    @Test
    void tooManyRequests_halvesTheLimitOncePerEvent_andSuccessesAddOneEach() throws Exception {
        AdaptiveConcurrency limit = new AdaptiveConcurrency(8);
        for (int i = 0; i < 7; i++) {
            limit.release(limit.acquire(), 200); // slow start: 1, then +1 per success
        }
        assertThat(limit.limit()).isEqualTo(8);
        AdaptiveConcurrency.Permit[] sent = new AdaptiveConcurrency.Permit[8];
        for (int i = 0; i < 8; i++) {
            sent[i] = limit.acquire();
        }

        limit.release(sent[0], 429);
        limit.release(sent[1], 503);
        limit.release(sent[2], 429);

        assertThat(limit.limit()).as("answers to requests sent before the decrease do not halve again").isEqualTo(4);
        for (int i = 3; i < 8; i++) {
            limit.release(sent[i], 200);
        }
        assertThat(limit.limit()).isEqualTo(8);

        AdaptiveConcurrency.Permit after = limit.acquire();
        limit.release(after, 503);
        assertThat(limit.limit()).isEqualTo(4);
        AdaptiveConcurrency.Permit again = limit.acquire();
        limit.release(again, 503);
        assertThat(limit.limit()).as("a new event halves again").isEqualTo(2);
    }

    @Test
    void limitReached_acquireWaitsForARelease() throws Exception {
        AdaptiveConcurrency limit = new AdaptiveConcurrency(2);
        limit.release(limit.acquire(), 200);
        AdaptiveConcurrency.Permit first = limit.acquire();
        limit.release(limit.acquire(), 429); // limit 1, one in flight
        Thread waiter = new Thread(() -> {
            try {
                limit.release(limit.acquire(), 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(200);
        assertThat(waiter.isAlive()).as("blocked: one in flight, limit 1").isTrue();

        limit.release(first, 200);
        waiter.join(2000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(limit.limit()).isEqualTo(2);
    }
}
