package dev.ferry.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The application's clock in the profiles that enable it ({@link LateApplyTarget}): real time, moved forward when a
 * test says so, so that a wait of minutes (ferry.verify.ambiguous-after) passes at once between two runs while the
 * API's timers and the runs' own waits keep real time.
 */
@Alternative
@Singleton
public class ShiftedClock extends Clock {

    private final AtomicLong shiftMillis = new AtomicLong();

    /** Moves the clock forward; call between runs, never during one (its deadline would pass). */
    public void advance(Duration duration) {
        shiftMillis.addAndGet(duration.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(shiftMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the application's clock stays in UTC");
    }
}
