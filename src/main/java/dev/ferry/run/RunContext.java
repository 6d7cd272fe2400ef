package dev.ferry.run;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.ferry.state.FailedKeys;
import dev.ferry.state.RunOutputs;

/** What the files of one run share: the lines it writes, its workers, the keys waiting in failed/, its tallies. */
final class RunContext implements AutoCloseable {

    /** The run's id, in the notes of what it sets aside in quarantine/. */
    final String runId;
    final RunOutputs outputs;
    final KeyedDispatcher workers;
    /** One per file the run delivered, in order: the report's per-file entries. */
    final List<FileTally> files = new CopyOnWriteArrayList<>();
    /** Sources someone deleted from processing/ while the run delivered them: none reached done/ (exit 75). */
    final List<String> vanished = new CopyOnWriteArrayList<>();
    volatile FailedKeys failedKeys = new FailedKeys();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final AtomicInteger claims = new AtomicInteger();

    RunContext(String runId, RunOutputs outputs, int concurrency) {
        this.runId = runId;
        this.outputs = outputs;
        this.workers = new KeyedDispatcher(concurrency, concurrency * 4 + 16);
    }

    /** A new claim id (in idempotency keys): the run's id and the claim's number in the run, unique for good. */
    String nextClaimId() {
        return runId + "." + claims.incrementAndGet();
    }

    /**
     * A failure that must end the run (e.g. failed/ cannot be written); the first one wins.
     *
     * @return whether it is the first: what follows it (the other workers' records) adds no cause
     */
    boolean fatal(Throwable problem) {
        return fatal.compareAndSet(null, problem);
    }

    Throwable fatal() {
        return fatal.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        workers.close();
        outputs.close();
    }
}
