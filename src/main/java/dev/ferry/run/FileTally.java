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
    /** Records passed over as another shard's: not read, so the outcomes still balance what was read. */
    final AtomicLong otherShards = new AtomicLong();
    private final Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
    volatile boolean complete;

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

    RunReport.FileSummary summary() {
        long delivered = outcomes.get(Outcome.DELIVERED).get();
        long failed = outcomes.get(Outcome.FAILED).get();
        long rejected = outcomes.get(Outcome.REJECTED).get();
        long givenUp = outcomes.get(Outcome.GIVEN_UP).get();
        return new RunReport.FileSummary(file, kind.name().toLowerCase(), read.get(), delivered, failed, rejected,
                givenUp, read.get() - delivered - failed - rejected - givenUp, complete, otherShards.get());
    }
}
