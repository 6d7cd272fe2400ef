package dev.ferry.run;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.ferry.core.Outcome;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.RunReport;

/** What one run did with one file: its entry in the run report. Thread-safe. */
final class FileTally {

    final String file;
    final Checkpoint.Kind kind;
    final AtomicLong read = new AtomicLong();
    /** DELETEs a snapshot sent or queued for the keys it left out: no lines read. */
    final AtomicLong deletes = new AtomicLong();
    /** Records passed over as another shard's: not read, so the outcomes still balance what was read. */
    final AtomicLong otherShards = new AtomicLong();
    private final Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
    volatile boolean complete;
    /** A snapshot's deletes; null for any other file. */
    volatile RunReport.SnapshotDeletes snapshot;

    FileTally(String file, Checkpoint.Kind kind) {
        this.file = file;
        this.kind = kind;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new AtomicLong());
        }
    }

    void count(Outcome outcome) {
        outcomes.get(outcome).incrementAndGet();
    }

    /** The file's entry: what was read and deleted balances against the outcomes, the rest is left. */
    RunReport.FileSummary summary() {
        long settled = 0;
        for (Outcome outcome : Outcome.SETTLED) {
            settled += outcomes.get(outcome).get();
        }
        return new RunReport.FileSummary(file, kind.name().toLowerCase(), read.get(), deletes.get(),
                get(Outcome.DELIVERED), get(Outcome.UNCHANGED), get(Outcome.DELETED), get(Outcome.FAILED),
                get(Outcome.REJECTED), get(Outcome.GIVEN_UP), read.get() + deletes.get() - settled, complete,
                otherShards.get(), snapshot);
    }

    private long get(Outcome outcome) {
        return outcomes.get(outcome).get();
    }
}
