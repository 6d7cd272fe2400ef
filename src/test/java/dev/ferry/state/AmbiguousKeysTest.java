package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestClock;

/** The due list of ambiguous deliveries in state/delivered.mv, on a fake clock. */
class AmbiguousKeysTest {

    static final Duration AFTER = Duration.ofMinutes(2);

    @TempDir
    Path state;

    final TestClock clock = new TestClock();

    @Test
    void markedTwice_theLaterDueWins_whicheverComesFirst() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            AmbiguousKeys keys = index.ambiguous();
            Instant early = clock.instant().plus(AFTER);
            Instant late = early.plusSeconds(30);

            keys.mark("a", "k1", late);
            keys.mark("a", "k1", early);

            assertThat(due(keys, late)).containsExactly(new AmbiguousKeys.Entry("a", late, Optional.of("k1")));
            assertThat(keys.size()).isEqualTo(1);
        }
    }

    @Test
    void requestsOfTwoVersions_leaveNoSingleIdempotencyKey() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            AmbiguousKeys keys = index.ambiguous();
            Instant due = clock.instant().plus(AFTER);

            keys.mark("a", "k1", due);
            keys.mark("a", "k2", due);
            keys.mark("a", "k2", due.plusSeconds(1));

            assertThat(due(keys, due.plusSeconds(1))).extracting(AmbiguousKeys.Entry::idempotencyKey)
                    .containsExactly(Optional.empty());
        }
    }

    @Test
    void dueEntries_areThoseWhoseTimeHasCome_onTheClock() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            AmbiguousKeys keys = index.ambiguous();
            keys.mark("b", "kb", clock.instant().plus(AFTER));
            clock.advance(Duration.ofMinutes(1));
            keys.mark("a", "ka", clock.instant().plus(AFTER));

            assertThat(due(keys, clock.instant())).isEmpty();
            clock.advance(Duration.ofMinutes(1));
            assertThat(due(keys, clock.instant())).extracting(AmbiguousKeys.Entry::key).containsExactly("b");
            clock.advance(Duration.ofMinutes(1));
            assertThat(due(keys, clock.instant())).extracting(AmbiguousKeys.Entry::key).containsExactly("a", "b");
            List<String> afterA = new ArrayList<>();
            keys.forEachDue(clock.instant(), "a", entry -> afterA.add(entry.key()));
            assertThat(afterA).containsExactly("b");
            assertThat(keys.earliestDue()).contains(Instant.parse("2026-06-01T12:02:00Z"));
        }
    }

    @Test
    void remove_takesTheEntryAsItWasSeen_notOneMarkedAgainSince() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            AmbiguousKeys keys = index.ambiguous();
            Instant due = clock.instant().plus(AFTER).plusNanos(123_456); // kept to the millisecond
            AmbiguousKeys.Entry seen = keys.mark("a", "k1", due);
            assertThat(keys.remove(seen)).as("as seen").isTrue();
            seen = keys.mark("a", "k1", due);
            keys.mark("a", "k1", due.plusSeconds(5)); // a re-send met an ambiguous answer meanwhile

            assertThat(keys.remove(seen)).isFalse();
            assertThat(keys.size()).isEqualTo(1);
            assertThat(keys.remove(due(keys, due.plusSeconds(5)).get(0))).isTrue();
            assertThat(keys.size()).isZero();
            assertThat(keys.earliestDue()).isEmpty();
        }
    }

    @Test
    void marks_outliveTheProcess_inTheIndexFile() throws Exception {
        Instant due = clock.instant().plus(AFTER);
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            index.ambiguous().mark("a", "k1", due);
            index.commit();
        }

        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            assertThat(due(index.ambiguous(), due)).containsExactly(new AmbiguousKeys.Entry("a", due, Optional.of("k1")));
        }
    }

    @Test
    void anIndexWithoutMarks_opensReadOnly_forVerify() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            DeliveredIndexTest.deliver(index, "a", "1");
        }
        try (DeliveredIndex index = DeliveredIndex.openReadOnly(state)) {
            assertThat(index.size()).isEqualTo(1);
        }
    }

    private static List<AmbiguousKeys.Entry> due(AmbiguousKeys keys, Instant now) {
        List<AmbiguousKeys.Entry> due = new ArrayList<>();
        keys.forEachDue(now, null, due::add);
        return due;
    }
}
