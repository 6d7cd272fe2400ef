package dev.ferry.run;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.ferry.state.AppendLog;
import dev.ferry.state.Checkpoint;

/**
 * Which records of one file are settled, and the checkpoint that says so. Records settle out of
 * order (several are in flight), so the checkpoint keeps a low-water mark plus the settled records
 * beyond it; a resumed run skips exactly those. Settling a record and appending its failed/ or
 * rejected/ line happen under one lock with the checkpoint snapshot, so a checkpoint never counts a
 * record as settled without its line, nor keeps a line of a record it will process again.
 * <p>
 * A snapshot file ({@code ferry.snapshot.pattern}) also has deletes, sent in key order once its records are
 * settled: the checkpoint keeps the key up to which every delete is settled, and counts the records that keep the
 * file from deleting anything ({@link #hold}), so that both survive a crash with the lines they go with.
 * Thread-safe.
 */
final class Settlements {

    /** An append to failed/ or rejected/ that goes with settling a record. */
    interface Append {
        void run() throws IOException;
    }

    /** One dispatched record (a line of the file, or a snapshot's delete) on its way to being settled. */
    interface Pending {
        /** It is settled; {@code append} (may be null) writes what goes with that, under the lock. */
        void settle(Append append) throws IOException;

        /** It ended without settling (the run is stopping): it stays for the next run. */
        void leave();
    }

    private final Checkpoint base;
    /** What the crashed run settled beyond its mark: the only records the reader can meet settled already. */
    private final Set<Long> settledByCrashedRun;
    private final TreeMap<Long, Long> outstanding = new TreeMap<>(); // start offset → lines before it
    private final TreeSet<Long> settled = new TreeSet<>(); // settled start offsets at or beyond the mark
    private long readPosition;
    private long readLines;
    private int inFlight;
    /** Null unless the file is a snapshot. */
    private Checkpoint.Snapshot.Phase phase;
    private long holds;
    private long absent;
    private long known;
    /** Deletes dispatched and not yet passed by the mark, in key order: settled or not. */
    private final TreeMap<String, Boolean> deletes = new TreeMap<>();
    private String deletedUpTo;

    Settlements(Checkpoint start) {
        this.base = start;
        this.readPosition = start.offset();
        this.readLines = start.line();
        this.settledByCrashedRun = Set.copyOf(start.settledAhead());
        this.settled.addAll(settledByCrashedRun);
        Checkpoint.Snapshot snapshot = start.snapshot();
        if (snapshot != null) {
            phase = snapshot.phase();
            holds = snapshot.holds();
            deletedUpTo = snapshot.deletedUpTo();
            absent = snapshot.absent();
            known = snapshot.known();
        }
    }

    /**
     * True for a record a crashed run settled already (beyond its checkpoint's mark). Asked for every record read,
     * so it takes no lock: the records this run settles lie behind the reader, which never meets them again.
     */
    boolean settledBefore(long offset) {
        return !settledByCrashedRun.isEmpty() && settledByCrashedRun.contains(offset);
    }

    /** The reader moved past something that needs no settling (a blank or skipped record). */
    synchronized void readUpTo(long position, long lines) {
        readPosition = position;
        readLines = lines;
    }

    /** A record was read and is on its way. */
    synchronized void begin(long offset, long linesBefore, long position, long lines) {
        outstanding.put(offset, linesBefore);
        inFlight++;
        readPosition = position;
        readLines = lines;
    }

    /** The record that starts at {@code offset}, begun with {@link #begin}, as a {@link Pending}. */
    Pending record(long offset) {
        return new Pending() {
            @Override
            public void settle(Append append) throws IOException {
                Settlements.this.settle(offset, append);
            }

            @Override
            public void leave() {
                Settlements.this.leave();
            }
        };
    }

    /** A record that was never dispatched (rejected while reading) is settled with its append. */
    synchronized void settleUnread(long offset, long position, long lines, Append append) throws IOException {
        append.run();
        settled.add(offset);
        readPosition = position;
        readLines = lines;
    }

    /** A dispatched record is settled; {@code append} (may be null) writes its failed/ or rejected/ line. */
    synchronized void settle(long offset, Append append) throws IOException {
        if (append != null) {
            append.run(); // if this fails, the record stays unsettled (the caller then calls leave)
        }
        inFlight--;
        outstanding.remove(offset);
        settled.add(offset);
        notifyAll();
    }

    /** A dispatched record ended without settling (the run is stopping): it stays for the next run. */
    synchronized void leave() {
        inFlight--;
        notifyAll();
    }

    /** Waits until no record is in flight, or {@code most} has passed on {@code clock}. */
    synchronized boolean awaitIdle(Duration most, Clock clock) throws InterruptedException {
        Instant end = clock.instant().plus(most);
        while (inFlight > 0) {
            long left = Duration.between(clock.instant(), end).toMillis();
            if (left <= 0) {
                return false;
            }
            wait(left); // a settle wakes this
        }
        return true;
    }

    synchronized boolean allSettled() {
        return outstanding.isEmpty() && deletes.isEmpty();
    }

    /** The file is a snapshot delivered from its start: its deletes follow its records. */
    synchronized void startSnapshot() {
        phase = Checkpoint.Snapshot.Phase.READING;
        holds = 0;
    }

    /** The file is no snapshot (any more): nothing of it is deleted. */
    synchronized void dropSnapshot() {
        phase = null;
    }

    /** The snapshot's phase; null for a file that is no snapshot. */
    synchronized Checkpoint.Snapshot.Phase phase() {
        return phase;
    }

    /** A record of the snapshot keeps it from deleting (it failed, was given up, or has no key); called in an append. */
    synchronized void hold() {
        holds++;
    }

    synchronized long holds() {
        return holds;
    }

    /** The snapshot's deletes wait for an operator: {@code absent} of {@code known} keys would go. */
    synchronized void held(long absent, long known) {
        phase = Checkpoint.Snapshot.Phase.HELD;
        this.absent = absent;
        this.known = known;
    }

    /** The snapshot's deletes go out, from the first absent key. */
    synchronized void deleting() {
        phase = Checkpoint.Snapshot.Phase.DELETING;
    }

    /** Every delete up to this key is settled; null when none is. */
    synchronized String deletedUpTo() {
        return deletedUpTo;
    }

    /** The delete of {@code key} (the next in key order) is on its way. */
    synchronized Pending beginDelete(String key) {
        deletes.put(key, false);
        inFlight++;
        return new Pending() {
            @Override
            public void settle(Append append) throws IOException {
                settleDelete(key, append);
            }

            @Override
            public void leave() {
                Settlements.this.leave();
            }
        };
    }

    private synchronized void settleDelete(String key, Append append) throws IOException {
        if (append != null) {
            append.run();
        }
        inFlight--;
        deletes.put(key, true);
        while (!deletes.isEmpty() && deletes.firstEntry().getValue()) {
            deletedUpTo = deletes.pollFirstEntry().getKey();
        }
        notifyAll();
    }

    /** The checkpoint as of now, with the sizes of the files appended to so far. */
    synchronized Checkpoint snapshot(AppendLog failed, AppendLog rejected, boolean complete) {
        long mark = readPosition;
        long lines = readLines;
        Map.Entry<Long, Long> first = outstanding.firstEntry();
        if (first != null) {
            mark = first.getKey();
            lines = first.getValue();
        }
        settled.headSet(mark).clear();
        Checkpoint.Snapshot snapshot = phase == null ? null
                : new Checkpoint.Snapshot(phase, holds, deletedUpTo, absent, known);
        return new Checkpoint(base.file(), base.kind(), mark, lines, new ArrayList<>(settled), failed.name(),
                failed.size(), rejected.name(), rejected.size(), complete, base.claimId(), snapshot);
    }
}
