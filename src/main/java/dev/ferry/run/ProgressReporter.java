package dev.ferry.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Outcome;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.RunStats;

/**
 * Logs a long run's progress every {@code ferry.log.progress-interval} (default 30s; {@code 0} turns it
 * off): records/s over the last interval, this run's outcomes, retries, breaker state and the failed/
 * backlog. Each time it counts the backlog it also sets {@code ferry_failed_backlog_records}, so the
 * pushes made during a run carry a fresh value rather than the last run's. The run's start and end
 * lines stay with {@link FerryRun}. Lifecycle per run: {@link #start} then {@link #stop}. Thread-safe.
 */
@ApplicationScoped
public class ProgressReporter {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class);
    private static final String[] BREAKER = { "closed", "open", "half-open" };

    private final FerryMetrics metrics;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private RunStats stats;
    private LongSupplier failedBacklog;
    private long lastSettled;
    private Instant lastTime;

    public ProgressReporter(FerryMetrics metrics, FerryConfig config, Clock clock) {
        this.metrics = metrics;
        this.interval = config.log().progressInterval();
        this.clock = clock;
    }

    /**
     * At run start: counts the backlog, then reports every interval.
     *
     * @param failedBacklog counts the records waiting in failed/ and sets its gauges (called on the reporter's thread)
     */
    public synchronized void start(RunStats stats, LongSupplier failedBacklog) {
        this.stats = stats;
        this.failedBacklog = failedBacklog;
        lastSettled = 0;
        lastTime = clock.instant();
        failedBacklog.getAsLong();
        if (interval.isZero() || interval.isNegative() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ferry-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(100, interval.toMillis());
        scheduler.scheduleAtFixedRate(this::report, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** At run end: no further progress lines (the run logs its own summary). */
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    synchronized void report() {
        if (scheduler == null) {
            return;
        }
        try {
            long backlog = failedBacklog.getAsLong();
            long delivered = stats.records(Outcome.DELIVERED);
            long unchanged = stats.records(Outcome.UNCHANGED);
            long failed = stats.records(Outcome.FAILED);
            long rejected = stats.records(Outcome.REJECTED);
            long settled = delivered + unchanged + failed + rejected;
            Instant now = clock.instant();
            double perSecond = (settled - lastSettled) / Math.max(1e-3, Duration.between(lastTime, now).toNanos() / 1e9);
            lastSettled = settled;
            lastTime = now;
            int breaker = metrics.breakerStateValue();
            LOG.infof("progress: %.1f records/s; settled %d (delivered %d, unchanged %d, failed %d, rejected %d); "
                    + "deleted %d; requests %d, retries %d; breaker %s; failed backlog %d", perSecond, settled, delivered,
                    unchanged, failed, rejected, stats.records(Outcome.DELETED),
                    stats.requests(), stats.retries(), breaker >= 0 && breaker < BREAKER.length ? BREAKER[breaker]
                            : breaker, backlog);
        } catch (RuntimeException e) {
            LOG.debugf("progress report failed: %s", e);
        }
    }
}
