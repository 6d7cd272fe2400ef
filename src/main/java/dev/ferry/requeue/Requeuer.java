package dev.ferry.requeue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.core.RunIds;
import dev.ferry.core.Shard;
import dev.ferry.delivery.Redaction;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.CorruptStateException;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.FileSequence;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RejectedEntry;
import dev.ferry.state.RejectedLines;
import dev.ferry.state.RequeueJournal;
import dev.ferry.state.ShardClaims;
import dev.ferry.state.ShardLayouts;
import dev.ferry.state.ShardLocks;

/**
 * {@code ferry requeue}: after the cause of rejections is fixed, moves the selected records from rejected/ into one new
 * failed/ file, which the next run replays first. Which records move is {@link RequeuePlan}'s ordering rule;
 * the move itself is {@link RequeueJournal}'s, crash-safe. A moved record carries a fresh idempotency key: an API that
 * remembers its answer to the original key (a refusal) would give that answer again without looking at the record.
 *
 * <p>Runs only under the run lock (a run appends to rejected/ and replays failed/), and refuses while files wait in
 * processing/: a resumed file is delivered before failed/ is replayed, so a newer version in it could be overtaken by a
 * requeued one. A dry run reads the same and changes nothing.
 *
 * <p>With {@code ferry.shard.count} n &gt; 1 it works for every shard of the count at once, whichever index it is
 * given: it takes every shard's run lock (rejected/ is shared, and it writes into each shard's failed/), judges each
 * key by its own shard's delivered index and failed/ folder, and writes one new failed/ file per receiving shard,
 * named by that shard's file sequence. Like a run, it refuses while another count's work waits
 * ({@link ShardLayouts}).
 */
@ApplicationScoped
public class Requeuer {

    /** Keys listed per line of the summary. */
    static final int LISTED = 10;

    private final Redaction redaction;
    private final DataDir dataDir;
    private final FileSequence fileNames;
    private final Checkpoints checkpoints;
    private final Quarantine quarantine;
    private final ShardLayouts layouts;
    private final Clock clock;

    @Inject
    public Requeuer(FerryConfig config, DataDir dataDir, FileSequence fileNames, Checkpoints checkpoints,
            Quarantine quarantine, ShardLayouts layouts, Clock clock) {
        this(Redaction.of(config), dataDir, fileNames, checkpoints, quarantine, layouts, clock);
    }

    /** @param redaction what the summary may show of keys ({@code ferry.log.redact-fields}) */
    public Requeuer(Redaction redaction, DataDir dataDir, FileSequence fileNames, Checkpoints checkpoints,
            Quarantine quarantine, Clock clock) {
        this(redaction, dataDir, fileNames, checkpoints, quarantine,
                new ShardLayouts(dataDir, new ShardClaims(dataDir)), clock);
    }

    private Requeuer(Redaction redaction, DataDir dataDir, FileSequence fileNames, Checkpoints checkpoints,
            Quarantine quarantine, ShardLayouts layouts, Clock clock) {
        this.layouts = layouts;
        this.redaction = redaction;
        this.dataDir = dataDir;
        this.fileNames = fileNames;
        this.checkpoints = checkpoints;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    /**
     * Moves the records {@code filter} selects that the ordering rule lets go, first completing a move a killed
     * requeue left.
     *
     * @param dryRun decide and describe only: nothing on the volume changes (a killed requeue's move is left too)
     * @throws IOException when the volume fails; a move cut short by it is completed by the next requeue or run
     */
    public RequeueResult requeue(RequeueFilter filter, boolean dryRun) throws IOException {
        if (dryRun) {
            dataDir.check();
        } else {
            dataDir.prepare();
        }
        refuseWorkOfOtherShardCounts();
        List<Shard> shards = dataDir.shard().all();
        try (ShardLocks locks = dryRun ? ShardLocks.tryAcquireUsed(dataDir, shards)
                : ShardLocks.tryAcquire(dataDir, shards)) {
            Optional<Shard> held = locks.heldElsewhere();
            if (held.isPresent()) {
                return refused("a run" + (held.get().single() ? "" : " of " + held.get().name())
                        + " holds the lock; try again after it");
            }
            String id = RunIds.next(clock.instant());
            if (!dryRun) {
                RequeueJournal.complete(dataDir, quarantine, "requeue-" + id);
            }
            if (!DataDir.names(dataDir.processing()).isEmpty()) {
                return refused("files wait in processing/: the next run finishes them first (a newer version in them "
                        + "must not be overtaken); requeue after it");
            }
            RequeuePlan plan = new RequeuePlan(filter);
            RejectedLines.forEach(dataDir.rejected(), plan::add);
            RequeuePlan.Decision decision = decide(plan, shards);
            List<ShardMove> moves = new ArrayList<>();
            Map<Shard, List<RejectedLines.Line>> byShard = byShard(decision.moved());
            for (Shard shard : shards) {
                List<RejectedLines.Line> moved = byShard.getOrDefault(shard, List.of());
                String file = dryRun || moved.isEmpty() ? null : fileNames(shard).nextName("requeue-" + id);
                moves.add(new ShardMove(shard, file, moved));
            }
            if (!dryRun && !decision.moved().isEmpty()) {
                List<RequeueJournal.Target> targets = new ArrayList<>();
                for (ShardMove move : moves) {
                    if (move.file() != null) {
                        new DataDir(dataDir.root(), move.shard()).prepare(); // a shard that never ran has no failed/
                        targets.add(new RequeueJournal.Target(move.shard(), move.file(),
                                failedEntries(id, move.lines())));
                    }
                }
                RequeueJournal.move(dataDir, targets, decision.leaving());
            }
            return result(id, dryRun, moves, decision);
        }
    }

    /**
     * The ordering rule sees the failed/ folders of this count only: while records of another count wait (or its
     * requeue's move is incomplete), a record moved now could overtake one of them, as a run of this count could.
     */
    private void refuseWorkOfOtherShardCounts() throws IOException {
        List<String> work = layouts.workOfOtherCounts();
        if (!work.isEmpty()) {
            throw new ConfigurationError("ferry.shard.count", "is " + dataDir.shard().count()
                    + ", but runs of another count left work on the data dir: " + String.join("; ", work)
                    + ". Finish it with that count first (`ferry status` lists it), then requeue");
        }
    }

    /** Which shard's new failed/ file each record goes to, and under what name (null: none written). */
    private record ShardMove(Shard shard, String file, List<RejectedLines.Line> lines) {
    }

    /**
     * The ordering rule, each key against its own shard: the delivered index and failed/ folder of the shard that
     * sends it. rejected/ is shared, so a file any shard's unfinished replay names is held. The indexes of the data
     * dir's other layouts count too (an earlier {@code ferry.shard.count}, or unsharded runs): a version a run of
     * another count delivered after the rejection is newer all the same.
     */
    private RequeuePlan.Decision decide(RequeuePlan plan, List<Shard> shards) throws IOException {
        Set<String> held = new HashSet<>();
        List<FailedKeys> waiting = new ArrayList<>();
        List<DeliveredIndex> indexes = new ArrayList<>();
        List<DeliveredIndex> earlier = new ArrayList<>();
        try {
            for (Shard shard : shards) {
                held.addAll(heldByReplay(shard));
                Path failed = dataDir.failed(shard);
                waiting.add(FailedKeys.of(DataDir.files(failed)));
                indexes.add(DeliveredIndex.openReadOnly(dataDir.state(shard)));
            }
            for (Shard other : layouts.layouts()) {
                if (other.count() != dataDir.shard().count()) {
                    earlier.add(DeliveredIndex.openReadOnly(dataDir.state(other)));
                }
            }
            int count = shards.size();
            return plan.decide(held, key -> waiting.get(Shard.of(key, count)).contains(key), key -> {
                Optional<DeliveredIndex.Entry> last = indexes.get(Shard.of(key, count)).get(key);
                for (DeliveredIndex index : earlier) {
                    last = newer(last, index.get(key));
                }
                return last;
            });
        } finally {
            for (DeliveredIndex index : indexes) {
                index.close();
            }
            for (DeliveredIndex index : earlier) {
                index.close();
            }
        }
    }

    /** The later of two deliveries of a key; one whose time is not known counts as the later (the safe side). */
    private static Optional<DeliveredIndex.Entry> newer(Optional<DeliveredIndex.Entry> a,
            Optional<DeliveredIndex.Entry> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() ? b : a;
        }
        Instant at = a.get().deliveredAt();
        Instant bt = b.get().deliveredAt();
        return at == null || bt != null && !bt.isAfter(at) ? a : b;
    }

    private Map<Shard, List<RejectedLines.Line>> byShard(List<RejectedLines.Line> moved) {
        Map<Shard, List<RejectedLines.Line>> byShard = new HashMap<>();
        int count = dataDir.shard().count();
        for (RejectedLines.Line line : moved) {
            Shard shard = new Shard(Shard.of(line.entry().key(), count), count);
            byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(line);
        }
        return byShard;
    }

    /** This process's shard uses the injected state; another shard's is read through a view of its folders. */
    private FileSequence fileNames(Shard shard) {
        return shard.equals(dataDir.shard()) ? fileNames : new FileSequence(new DataDir(dataDir.root(), shard));
    }

    private Checkpoints checkpoints(Shard shard) {
        return shard.equals(dataDir.shard()) ? checkpoints : new Checkpoints(new DataDir(dataDir.root(), shard));
    }

    /**
     * rejected/ files named by the checkpoint of a failed/ file's replay in {@code shard}: the replay's resume cuts
     * such a file back to the size it had then, which a rewrite would spoil. A corrupt checkpoint names none: its
     * file is set aside without a cut.
     */
    private Set<String> heldByReplay(Shard shard) throws IOException {
        Set<String> held = new HashSet<>();
        for (String name : DataDir.names(dataDir.failed(shard))) {
            try {
                checkpoints(shard).read(Checkpoint.Kind.REPLAY, name).map(Checkpoint::rejectedFile)
                        .ifPresent(held::add);
            } catch (CorruptStateException corrupt) {
                // set aside by the next run, without cutting anything back
            }
        }
        return held;
    }

    private List<FailedEntry> failedEntries(String id, List<RejectedLines.Line> moved) {
        Instant now = clock.instant();
        List<FailedEntry> entries = new ArrayList<>();
        for (RejectedLines.Line line : moved) {
            RejectedEntry rejected = line.entry();
            String before = rejected.idempotencyKey() != null ? rejected.idempotencyKey()
                    : rejected.key() + "\n" + Json.canonical(rejected.record());
            entries.add(new FailedEntry(rejected.key(), RecordKeys.sha256Hex(before + "\nrequeue:" + id),
                    rejected.record(), rejected.source(), 0, "requeued " + id + ": " + rejected.reason(), now, 0,
                    now, rejected.operation(), null));
        }
        return entries;
    }

    private static RequeueResult refused(String why) {
        return new RequeueResult(ExitCodes.WORK_LEFT, null, List.of(), List.of(), Map.of(),
                List.of("requeue: nothing moved: " + why), List.of());
    }

    private RequeueResult result(String id, boolean dryRun, List<ShardMove> moves, RequeuePlan.Decision decision) {
        boolean sharded = !dataDir.shard().single();
        String failedFile = sharded ? null : moves.get(0).file();
        List<RequeueResult.ShardFile> shardFiles = !sharded ? List.of() : moves.stream()
                .map(move -> new RequeueResult.ShardFile(move.shard().name(),
                        move.file() == null ? null : move.shard().name() + "/" + move.file(),
                        move.lines().stream().map(line -> line.entry().key()).toList()))
                .toList();
        List<String> moved = decision.moved().stream().map(line -> line.entry().key()).toList();
        List<String> superseded = decision.superseded().stream().map(line -> line.entry().key()).toList();
        Map<SkipReason, List<String>> skipped = new EnumMap<>(SkipReason.class);
        decision.skipped().forEach((reason, lines) -> skipped.put(reason, lines.stream()
                .map(s -> reason == SkipReason.NOT_A_RECORD ? s.line().entry().source() : s.line().entry().key())
                .toList()));

        List<String> lines = new ArrayList<>();
        String name = dryRun ? "requeue " + id + " (dry run)" : "requeue " + id;
        if (decision.selected() == 0) {
            lines.add(name + ": no record in rejected/ matches the filters; nothing moved");
            return new RequeueResult(ExitCodes.OK, null, moved, superseded, skipped, lines, shardFiles);
        }
        String to = sharded ? "the failed/ folders of their shards" : "failed/" + (dryRun ? "" : failedFile);
        lines.add(moved.isEmpty() ? name + ": nothing moved"
                : name + (dryRun ? ": would move " : ": moved ") + moved.size() + " record(s) from rejected/ to " + to);
        if (!moved.isEmpty() && !sharded) {
            lines.add("  keys: " + listed(decision.moved(), line -> redaction.key(line.entry().key())));
        }
        if (!moved.isEmpty() && sharded) {
            for (ShardMove move : moves) {
                lines.add("  " + move.shard().name() + ": " + (move.lines().isEmpty() ? "none"
                        : (dryRun ? "would move " + move.lines().size()
                                : move.lines().size() + " to failed/" + move.shard().name() + "/" + move.file())
                                + ": " + listed(move.lines(), line -> redaction.key(line.entry().key()))));
            }
        }
        if (!superseded.isEmpty()) {
            lines.add("  superseded " + superseded.size() + " (older rejections of those keys, "
                    + (dryRun ? "would leave" : "left") + " rejected/ with them): "
                    + listed(decision.superseded(), line -> redaction.key(line.entry().key())));
        }
        int skippedCount = decision.skipped().values().stream().mapToInt(List::size).sum();
        if (skippedCount > 0) {
            lines.add("  skipped " + skippedCount + ", left in rejected/:");
            decision.skipped().forEach((reason, list) -> lines.add(
                    "    " + list.size() + " " + reason.text() + ": " + listed(list, s -> shown(reason, s))));
        }
        if (!moved.isEmpty()) {
            lines.add(dryRun ? "next: run it again without --dry-run to move them"
                    : sharded ? "next: each shard's next run delivers its keys first, before the inbox, under fresh "
                            + "idempotency keys"
                            : "next: the next run delivers them first, before the inbox, under fresh idempotency keys");
        }
        return new RequeueResult(ExitCodes.OK, failedFile, moved, superseded, skipped, lines, shardFiles);
    }

    private String shown(SkipReason reason, RequeuePlan.Skipped skipped) {
        RejectedEntry entry = skipped.line().entry();
        if (reason == SkipReason.NOT_A_RECORD) {
            return entry.source();
        }
        String key = redaction.key(entry.key());
        if (reason != SkipReason.NEWER_DELIVERED) {
            return key;
        }
        return key + " (delivered " + (skipped.deliveredAt() == null ? "at a time not recorded"
                : skipped.deliveredAt().toString()) + ")";
    }

    private static <T> String listed(List<T> items, Function<T, String> shown) {
        List<String> first = items.stream().limit(LISTED).map(shown).toList();
        return String.join(", ", first)
                + (items.size() > LISTED ? ", … and " + (items.size() - LISTED) + " more" : "");
    }
}
