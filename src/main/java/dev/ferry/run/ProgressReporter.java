package dev.ferry.run;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.RequestResult;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.core.Outcome;

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
    private ScheduledExecutorService scheduler;
    private LongSupplier failedBacklog;
    private double[] start;
    private double lastSettled;
    private long lastNanos;

    public ProgressReporter(FerryMetrics metrics, FerryConfig config) {
        this.metrics = metrics;
        this.interval = config.log().progressInterval();
    }

    /**
     * At run start: remembers the counters (serve mode runs many per process) and counts the backlog.
     *
     * @param failedBacklog counts the records waiting in failed/ (called on the reporter's thread)
     */
    public synchronized void start(LongSupplier failedBacklog) {
        this.failedBacklog = failedBacklog;
        start = counters();
        lastSettled = 0;
        lastNanos = System.nanoTime();
        metrics.failedBacklog(failedBacklog.getAsLong());
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
            metrics.failedBacklog(backlog);
            double[] now = counters();
            long delivered = (long) (now[0] - start[0]);
            long failed = (long) (now[1] - start[1]);
            long rejected = (long) (now[2] - start[2]);
            long retries = (long) (now[3] - start[3]);
            long requests = (long) (now[4] - start[4]);
            double settled = delivered + failed + rejected;
            long nanos = System.nanoTime();
            double perSecond = (settled - lastSettled) / Math.max(1e-3, (nanos - lastNanos) / 1e9);
            lastSettled = settled;
            lastNanos = nanos;
            int breaker = metrics.breakerStateValue();
            LOG.infof("progress: %.1f records/s; settled %d (delivered %d, failed %d, rejected %d); requests %d, "
                    + "retries %d; breaker %s; failed backlog %d", perSecond, (long) settled, delivered, failed,
                    rejected, requests, retries, breaker >= 0 && breaker < BREAKER.length ? BREAKER[breaker] : breaker,
                    backlog);
        } catch (RuntimeException e) {
            LOG.debugf("progress report failed: %s", e);
        }
    }

    private double[] counters() {
        double requests = 0;
        for (RequestResult result : RequestResult.values()) {
            requests += metrics.requestCount(result);
        }
        return new double[] { metrics.settledCount(Outcome.DELIVERED), metrics.settledCount(Outcome.FAILED),
                metrics.settledCount(Outcome.REJECTED), metrics.retryCount(), requests };
    }
}
