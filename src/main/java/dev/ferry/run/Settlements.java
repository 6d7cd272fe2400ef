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
 * Thread-safe.
 */
final class Settlements {

    /** An append to failed/ or rejected/ that goes with settling a record. */
    interface Append {
        void run() throws IOException;
    }

    private final Checkpoint base;
    /** What the crashed run settled beyond its mark: the only records the reader can meet settled already. */
    private final Set<Long> settledByCrashedRun;
    private final TreeMap<Long, Long> outstanding = new TreeMap<>(); // start offset → lines before it
    private final TreeSet<Long> settled = new TreeSet<>(); // settled start offsets at or beyond the mark
    private long readPosition;
    private long readLines;
    private int inFlight;

    Settlements(Checkpoint start) {
        this.base = start;
        this.readPosition = start.offset();
        this.readLines = start.line();
        this.settledByCrashedRun = Set.copyOf(start.settledAhead());
        this.settled.addAll(settledByCrashedRun);
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
        return outstanding.isEmpty();
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
        return new Checkpoint(base.file(), base.kind(), mark, lines, new ArrayList<>(settled), failed.name(),
                failed.size(), rejected.name(), rejected.size(), complete, base.claimId());
    }
}
