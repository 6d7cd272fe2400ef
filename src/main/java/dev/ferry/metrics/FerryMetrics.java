package dev.ferry.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.Outcome;
import dev.ferry.core.RequestResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * ferry's metrics, under the names dashboards and alerts rely on (docs/reference.md, Metrics), registered once.
 * Micrometer's Prometheus registry adds the {@code _total} and {@code _seconds} suffixes, so {@code ferry.records} is
 * exposed as {@code ferry_records_total}. Thread-safe.
 */
@ApplicationScoped
public class FerryMetrics {


    private final Map<Outcome, Counter> records = new EnumMap<>(Outcome.class);
    private final Map<RequestResult, Counter> requests = new EnumMap<>(RequestResult.class);
    private final Map<RequestResult, Timer> durations = new EnumMap<>(RequestResult.class);
    private final Counter retries;
    private final Counter breakerOpened;
    private final Counter readerPaused;
    private final Counter filesQuarantined;
    private final AtomicLong breakerState = new AtomicLong();
    private final AtomicLong failedBacklog = new AtomicLong();
    private final AtomicLong failedOldest = new AtomicLong();
    private final AtomicLong ambiguousPending = new AtomicLong();
    private final AtomicLong runDurationMillis = new AtomicLong();
    private final AtomicLong lastRun = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();
    private volatile RunStats run = new RunStats();
    /** NO_EXIT_CODE until a run ended (in this process or, restored, in reports/). */
    private final AtomicLong lastExitCode = new AtomicLong(NO_EXIT_CODE);
    private static final long NO_EXIT_CODE = Long.MIN_VALUE;

    public FerryMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.SETTLED) {
            records.put(outcome, Counter.builder("ferry.records").description("Records settled, by outcome")
                    .tag("outcome", outcome.tag()).register(registry));
        }
        for (RequestResult result : RequestResult.values()) {
            requests.put(result, Counter.builder("ferry.requests").description("Requests sent to the API, by result")
                    .tag("result", result.tag()).register(registry));
        }
        Timer timer = Timer.builder("ferry.request.duration").description("Time from request to answer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        for (RequestResult result : RequestResult.values()) {
            durations.put(result, timer);
        }
        retries = Counter.builder("ferry.retries").description("Retries sent after a transient fault").register(registry);
        breakerOpened = Counter.builder("ferry.breaker.opened").description("Times the circuit breaker opened")
                .register(registry);
        readerPaused = Counter.builder("ferry.reader.paused.seconds")
                .description("Time the reader waited on an open breaker").register(registry);
        filesQuarantined = Counter.builder("ferry.files.quarantined")
                .description("Files moved to quarantine/: not regular files, unreadable, or with corrupt state")
                .register(registry);
        Gauge.builder("ferry.breaker.state", breakerState, AtomicLong::get)
                .description("Circuit breaker: 0 closed, 1 open, 2 half-open").register(registry);
        Gauge.builder("ferry.failed.backlog.records", failedBacklog, AtomicLong::get)
                .description("Records waiting in failed/").register(registry);
        Gauge.builder("ferry.failed.oldest.seconds", failedOldest, AtomicLong::get)
                .description("Age of the oldest record in failed/, since it first failed").register(registry);
        Gauge.builder("ferry.ambiguous.pending", ambiguousPending, AtomicLong::get)
                .description("Keys to read back after an ambiguous answer (ferry.verify.ambiguous-after), as the "
                        + "last run left them").register(registry);
        Gauge.builder("ferry.run.duration.seconds", runDurationMillis, millis -> millis.get() / 1000.0)
                .description("Duration of the last run").register(registry);
        Gauge.builder("ferry.last.run.timestamp.seconds", lastRun, AtomicLong::get)
                .description("When the last run ended (Unix seconds)").register(registry);
        Gauge.builder("ferry.last.success.timestamp.seconds", lastSuccess, AtomicLong::get)
                .description("When the last run that left nothing behind ended (Unix seconds)").register(registry);
        // NaN until a run has ended: a first run in progress has no last exit code, and 0 would claim a success
        Gauge.builder("ferry.last.exit.code", lastExitCode,
                code -> code.get() == NO_EXIT_CODE ? Double.NaN : code.get())
                .description("Exit code of the last run that ended (75 also when ferry.run.work-left-exit-code "
                        + "maps it for the process)")
                .register(registry);
    }

    /** A run begins: what it does is counted from now on in a fresh {@link RunStats}, beside the metrics. */
    public RunStats startRun() {
        RunStats stats = new RunStats();
        run = stats;
        return stats;
    }

    /** The stats of the current (or last) run. */
    public RunStats run() {
        return run;
    }

    public void settled(Outcome outcome) {
        records.get(outcome).increment();
        run.settled(outcome);
    }

    public void requestDone(RequestResult result, Duration latency) {
        requests.get(result).increment();
        durations.get(result).record(latency);
        run.requested(result);
    }

    public void retried() {
        retries.increment();
        run.retried();
    }

    public void breakerOpened() {
        breakerOpened.increment();
        run.breakerOpened();
    }

    public void fileQuarantined() {
        filesQuarantined.increment();
    }

    /** 0 closed, 1 open, 2 half-open. */
    public void breakerState(int state) {
        breakerState.set(state);
    }

    public void readerPaused(long nanos) {
        readerPaused.increment(nanos / 1e9);
        run.paused(nanos);
    }

    /**
     * @param records       records waiting in failed/
     * @param oldestSeconds how long the oldest of them has waited since it first failed (0 when none waits)
     */
    public void failedBacklog(long records, long oldestSeconds) {
        failedBacklog.set(records);
        failedOldest.set(oldestSeconds);
    }

    /** Keys left to read back after ambiguous answers, when the run's reconciliation ended. */
    public void ambiguousPending(long keys) {
        ambiguousPending.set(keys);
    }

    /** A run ended with this exit code (the run's own: 75 for work left, whatever the process exits with). */
    public void runEnded(Duration duration, long epochSeconds, int exitCode) {
        runDurationMillis.set(duration.toMillis());
        lastRun.set(epochSeconds);
        lastExitCode.set(exitCode);
        if (exitCode == 0) {
            lastSuccess.set(epochSeconds);
        }
    }

    /**
     * Seeds the last-run gauges (last run, its exit code, last success) with what the reports of earlier runs
     * say, unless this process already knows newer values: every CronJob run is a new process, and its pushes
     * replace the Pushgateway group, so without this a run that does not succeed would push 0 for the last
     * success and wake the FerryNoSuccessfulRun alert.
     *
     * @param lastExitCode the exit code of the run that ended at {@code lastRunEpochSeconds}, or null for none
     */
    public void restoreLastRuns(long lastRunEpochSeconds, long lastSuccessEpochSeconds, Integer lastExitCode) {
        if (lastRunEpochSeconds > lastRun.get()) {
            lastRun.set(lastRunEpochSeconds);
            if (lastExitCode != null) {
                this.lastExitCode.set(lastExitCode);
            }
        }
        lastSuccess.accumulateAndGet(lastSuccessEpochSeconds, Math::max);
    }

    /** 0 closed, 1 open, 2 half-open. */
    public int breakerStateValue() {
        return (int) breakerState.get();
    }
}
