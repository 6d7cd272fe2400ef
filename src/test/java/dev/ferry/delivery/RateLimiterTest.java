package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;


/** The token bucket on a fake clock: full rate for callers who keep asking, never a burst, never a refusal. */
class RateLimiterTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    final AtomicLong now = new AtomicLong(SECOND * 1000);
    final LongSupplier clock = now::get;

    @Test
    void callersWhoKeepAsking_getTheWholeRate_neverMoreInAnySecond() throws Exception {
        RateLimiter limiter = RateLimiter.of(20, clock, now::addAndGet);
        List<Long> starts = new ArrayList<>();

        for (int i = 0; i < 1200; i++) {
            limiter.acquire();
            starts.add(now.get());
        }

        long span = starts.get(starts.size() - 1) - starts.get(0);
        assertThat(1199.0 * SECOND / span).as("requests per second").isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.01));
        assertNeverMoreThan(20, starts);
    }

    @Test
    void lateWakeUps_loseTime_butNeverBunchTheNextStarts() throws Exception {
        Random random = new Random(7);
        // the scheduler wakes a parked caller up to 30 ms late
        RateLimiter limiter = RateLimiter.of(20, clock, nanos -> now.addAndGet(nanos + random.nextInt(30_000_000)));
        List<Long> starts = new ArrayList<>();

        for (int i = 0; i < 600; i++) {
            limiter.acquire();
            now.addAndGet(random.nextInt(3_000_000)); // on its way out
            limiter.sent();
            starts.add(now.get());
            now.addAndGet(random.nextInt(5_000_000)); // the caller's own work before it asks again
        }

        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).as("gap %d", i).isGreaterThanOrEqualTo(SECOND / 20);
        }
        assertNeverMoreThan(20, starts);
    }

    @Test
    void aRequestThatGoesOutLate_pushesTheNextOne_soTheyNeverBunch() throws Exception {
        RateLimiter limiter = RateLimiter.of(20, clock, now::addAndGet);
        limiter.acquire();
        now.addAndGet(40_000_000); // its thread is preempted for 40 ms before the request goes out
        limiter.sent();
        long sent = now.get();

        limiter.acquire();

        assertThat(now.get() - sent).as("an interval after the late request went out").isEqualTo(SECOND / 20);
    }

    @Test
    void aCallerPreemptedAfterItsTurn_waitsAnIntervalAfterTheRequestThatWentOutMeanwhile() throws Exception {
        RateLimiter limiter = RateLimiter.of(20, clock, now::addAndGet);
        limiter.acquire(); // A's turn; A's thread is then preempted for 60 ms
        now.addAndGet(60_000_000);
        limiter.acquire(); // B's turn came after 50 ms: B goes out first
        limiter.sent();
        long bSent = now.get();

        limiter.sent(); // A wakes up

        assertThat(now.get() - bSent).as("A goes out an interval after B, not right after it").isEqualTo(SECOND / 20);
    }

    @Test
    void aCallerWhoComesBackLater_doesNotFindABurstSaved() throws Exception {
        RateLimiter limiter = RateLimiter.of(10, clock, now::addAndGet);
        limiter.acquire();
        now.addAndGet(60 * SECOND); // nobody asked for a minute

        long before = now.get();
        limiter.acquire();
        limiter.acquire();

        assertThat(now.get() - before).as("one token saved at most").isEqualTo(SECOND / 10);
    }

    @Test
    void theFirstAnswerOfARun_emptiesTheBucket_soASlowFirstRequestCannotBunchWithTheNext() throws Exception {
        RateLimiter limiter = RateLimiter.of(20, clock, now::addAndGet);
        limiter.startRun();
        limiter.acquire();
        long firstStart = now.get();
        now.addAndGet(300_000_000); // the first request takes 300 ms: connection set-up, cold code
        limiter.answered();

        limiter.acquire();

        assertThat(now.get() - firstStart).as("a full interval after the first answer").isEqualTo(350_000_000);
        long secondStart = now.get();
        limiter.answered(); // later answers change nothing
        limiter.acquire();
        assertThat(now.get() - secondStart).isEqualTo(SECOND / 20);
    }

    @Test
    void aStop_endsTheWait() throws Exception {
        RateLimiter limiter = RateLimiter.of(0.001, clock, now::addAndGet); // one request every 1000 s
        limiter.acquire();

        assertThat(limiter.acquire(() -> true)).isFalse();
    }

    @Test
    void zeroOrNegativeRates_areRefused() {
        assertThatThrownBy(() -> RateLimiter.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    /** In no half-open second [t, t + 1 s) more than {@code rate} starts. */
    static void assertNeverMoreThan(int rate, List<Long> starts) {
        for (int i = 0; i + rate < starts.size(); i++) {
            assertThat(starts.get(i + rate) - starts.get(i)).as("%d starts from start %d", rate + 1, i)
                    .isGreaterThanOrEqualTo(SECOND);
        }
    }
}
