package dev.ferry.requeue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.RejectedLines;

/**
 * The ordering rule of {@code ferry requeue}: a rejected record goes back to failed/ only if nothing newer of its key
 * exists, so that the replay can never put an older version over a newer one. Per key, of the selected
 * lines only the newest rejection can move (by {@code rejectedAt}, then file and line order), and it stays when
 * <ul>
 * <li>a newer rejection of the key is not selected;</li>
 * <li>its rejected/ file belongs to an unfinished replay (whose resume cuts that file back to its checkpoint);</li>
 * <li>the key waits in failed/ (its replay comes first and this version would overtake it);</li>
 * <li>the key was delivered at or after the rejection: times compared to the millisecond, a tie and a delivery of
 * unknown time count as newer (staying is the safe mistake: the operator sees it and can drop the record into
 * inbox/, while a wrong move would overwrite newer data).</li>
 * </ul>
 * A key delivered before the rejection moves: the rejected version is the newer one. The older selected rejections of
 * a moved key are superseded: they leave rejected/ with it, as the moved version replaces them. A selected line
 * without a record never moves. Lines are fed one by one ({@link #add}); only selected lines are kept whole.
 */
final class RequeuePlan {

    /** Where a rejection stands in the order of rejections. */
    private record Position(Instant rejectedAt, String file, int index) {
        static final Comparator<Position> ORDER = Comparator.comparing(Position::rejectedAt)
                .thenComparing(Position::file).thenComparingInt(Position::index);

        static Position of(RejectedLines.Line line) {
            Instant at = line.entry().rejectedAt();
            return new Position(at == null ? Instant.MIN : at, line.file(), line.index());
        }
    }

    /** A selected line left where it is; {@code deliveredAt} for {@link SkipReason#NEWER_DELIVERED} (null: unknown). */
    record Skipped(RejectedLines.Line line, Instant deliveredAt) {
    }

    /**
     * What becomes of the selected lines.
     *
     * @param moved      the lines whose records go to failed/, in rejection order
     * @param superseded older rejections of moved keys, leaving rejected/ with them
     */
    record Decision(List<RejectedLines.Line> moved, List<RejectedLines.Line> superseded,
            Map<SkipReason, List<Skipped>> skipped) {

        /** rejected/ file → indexes of its lines that leave it (moved and superseded). */
        Map<String, List<Integer>> leaving() {
            Map<String, List<Integer>> leaving = new TreeMap<>();
            for (List<RejectedLines.Line> lines : List.of(moved, superseded)) {
                for (RejectedLines.Line line : lines) {
                    leaving.computeIfAbsent(line.file(), file -> new ArrayList<>()).add(line.index());
                }
            }
            return leaving;
        }

        int selected() {
            return moved.size() + superseded.size() + skipped.values().stream().mapToInt(List::size).sum();
        }
    }

    private final RequeueFilter filter;
    /** Every key in rejected/ → its newest rejection, selected or not. */
    private final Map<String, Position> newest = new HashMap<>();
    /** Key → its selected rejections. */
    private final Map<String, List<RejectedLines.Line>> selected = new LinkedHashMap<>();
    private final List<RejectedLines.Line> notRecords = new ArrayList<>();

    RequeuePlan(RequeueFilter filter) {
        this.filter = filter;
    }

    /** One line of rejected/, in any order. */
    void add(RejectedLines.Line line) {
        if (line.entry() == null) {
            return; // not an entry at all (cut short by a crash): nothing to select it by
        }
        boolean record = line.entry().key() != null && line.entry().record() != null;
        if (record) {
            newest.merge(line.entry().key(), Position.of(line), (a, b) -> Position.ORDER.compare(a, b) >= 0 ? a : b);
        }
        if (!filter.matches(line.entry())) {
            return;
        }
        if (record) {
            selected.computeIfAbsent(line.entry().key(), key -> new ArrayList<>()).add(line);
        } else {
            notRecords.add(line);
        }
    }

    /**
     * @param held      rejected/ files an unfinished replay may cut back
     * @param waiting   whether a key waits in failed/
     * @param delivered the last delivered version of a key
     */
    Decision decide(Set<String> held, Predicate<String> waiting,
            Function<String, Optional<DeliveredIndex.Entry>> delivered) {
        List<RejectedLines.Line> moved = new ArrayList<>();
        List<RejectedLines.Line> superseded = new ArrayList<>();
        Map<SkipReason, List<Skipped>> skipped = new EnumMap<>(SkipReason.class);
        notRecords.forEach(line -> skip(skipped, SkipReason.NOT_A_RECORD, line, null));
        for (Map.Entry<String, List<RejectedLines.Line>> key : selected.entrySet()) {
            List<RejectedLines.Line> lines = key.getValue().stream()
                    .sorted(Comparator.comparing(Position::of, Position.ORDER)).toList();
            RejectedLines.Line last = lines.get(lines.size() - 1);
            Optional<DeliveredIndex.Entry> version = delivered.apply(key.getKey());
            SkipReason reason = !Position.of(last).equals(newest.get(key.getKey())) ? SkipReason.NEWER_REJECTED
                    : held.contains(last.file()) ? SkipReason.HELD
                    : waiting.test(key.getKey()) ? SkipReason.WAITING
                    : version.isPresent() && !deliveredBefore(version.get().deliveredAt(), last.entry().rejectedAt())
                            ? SkipReason.NEWER_DELIVERED
                            : null;
            if (reason != null) {
                Instant at = reason == SkipReason.NEWER_DELIVERED ? version.get().deliveredAt() : null;
                lines.forEach(line -> skip(skipped, reason, line, at));
                continue;
            }
            moved.add(last);
            for (RejectedLines.Line older : lines.subList(0, lines.size() - 1)) {
                if (held.contains(older.file())) {
                    skip(skipped, SkipReason.HELD, older, null);
                } else {
                    superseded.add(older);
                }
            }
        }
        moved.sort(Comparator.comparing(Position::of, Position.ORDER));
        return new Decision(moved, superseded, skipped);
    }

    private static boolean deliveredBefore(Instant deliveredAt, Instant rejectedAt) {
        return deliveredAt != null && rejectedAt != null
                && deliveredAt.isBefore(rejectedAt.truncatedTo(ChronoUnit.MILLIS));
    }

    private static void skip(Map<SkipReason, List<Skipped>> skipped, SkipReason reason, RejectedLines.Line line,
            Instant deliveredAt) {
        skipped.computeIfAbsent(reason, r -> new ArrayList<>()).add(new Skipped(line, deliveredAt));
    }
}
