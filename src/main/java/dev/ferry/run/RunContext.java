package dev.ferry.run;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Semaphore;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.AdaptiveConcurrency;
import dev.ferry.delivery.GuardedSender;
import dev.ferry.delivery.RecordUrls;
import dev.ferry.delivery.Redaction;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.AppendLog;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedKeys;
import dev.ferry.delivery.BreakerGate;
import dev.ferry.core.StopSignal;

/** What the files of one run share: the workers, the failed/ and rejected/ files, the breaker, the stop signal. */
final class RunContext implements AutoCloseable {

    final FerryConfig config;
    final GuardedSender sender;
    final AdaptiveConcurrency concurrency;
    final BreakerGate gate;
    final StopSignal stop;
    final FerryMetrics metrics;
    final Checkpoints checkpoints;
    final AppendLog failed;
    final AppendLog rejected;
    final DeliveredIndex index;
    final KeyedDispatcher dispatcher;
    /** Bounds the records read but not yet ended, so memory stays flat whatever the file size. */
    final Semaphore window;
    final Clock clock;
    /** What the log lines may show of records and of the API's answers (ferry.log.redact-fields). */
    final Redaction redaction;
    volatile FailedKeys failedKeys = new FailedKeys();
    private volatile Throwable fatal;
    private final RecordUrls urls;

    RunContext(FerryConfig config, GuardedSender sender, AdaptiveConcurrency concurrency, BreakerGate gate, StopSignal stop, FerryMetrics metrics,
            Checkpoints checkpoints, AppendLog failed, AppendLog rejected, DeliveredIndex index, Clock clock) {
        this.config = config;
        this.sender = sender;
        this.concurrency = concurrency;
        this.gate = gate;
        this.stop = stop;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.failed = failed;
        this.rejected = rejected;
        this.index = index;
        this.clock = clock;
        this.redaction = Redaction.of(config);
        int workers = config.delivery().concurrency();
        this.dispatcher = new KeyedDispatcher(workers);
        this.window = new Semaphore(workers * 4 + 16);
        this.urls = new RecordUrls(config.target().url().orElseThrow(), config.target().path());
    }

    /** {@code ferry.target.url} + {@code ferry.target.path} with the percent-encoded key. */
    URI urlOf(SourceRecord record) {
        return urls.of(record.key());
    }

    /** A failure that must end the run (e.g. failed/ cannot be written); the first one wins. */
    void fatal(Throwable problem) {
        if (fatal == null) {
            fatal = problem;
        }
    }

    Throwable fatal() {
        return fatal;
    }

    boolean stopping() {
        return fatal != null || stop.requested();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        dispatcher.close();
        failed.close();
        rejected.close();
        index.close();
    }
}
