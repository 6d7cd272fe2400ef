package dev.ferry.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.RunIds;
import dev.ferry.core.StopSignal;
import dev.ferry.delivery.RecordDelivery;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.PushgatewayPusher;
import dev.ferry.metrics.RunStats;
import dev.ferry.state.DataDir;
import dev.ferry.state.Quarantine;
import dev.ferry.state.Reports;
import dev.ferry.state.RequeueJournal;
import dev.ferry.state.RunLock;
import dev.ferry.state.RunReport;
import dev.ferry.state.ShardLayouts;

/**
 * One run (docs/reference.md, One run): take the lock, resume processing/, replay failed/, take the inbox, reconcile
 * the ambiguous deliveries that are due ({@link Reconciliation}), report. Sources are delivered one file at a time, so
 * at most one file is ever half done.
 */
@ApplicationScoped
public class FerryRun {

    private static final Logger LOG = Logger.getLogger(FerryRun.class);

    private final FerryConfig config;
    private final DataDir dataDir;
    private final Sources sources;
    private final Replay replay;
    private final FileDeliveries files;
    private final StartChecks checks;
    private final RecordDelivery delivery;
    private final StopSignal stop;
    private final FerryMetrics metrics;
    private final FailedBacklog backlog;
    private final Reports reports;
    private final PushgatewayPusher pusher;
    private final ProgressReporter progress;
    private final ShardLayouts layouts;
    private final Clock clock;
    private final Quarantine quarantine;
    private final Reconciliation reconciliation;

    public FerryRun(FerryConfig config, DataDir dataDir, Sources sources, Replay replay, FileDeliveries files, StartChecks checks, RecordDelivery delivery,
            StopSignal stop, FerryMetrics metrics, FailedBacklog backlog, Reports reports,
            PushgatewayPusher pusher, ProgressReporter progress, ShardLayouts layouts, Clock clock,
            Quarantine quarantine, Reconciliation reconciliation) {
        this.config = config;
        this.dataDir = dataDir;
        this.sources = sources;
        this.replay = replay;
        this.files = files;
        this.checks = checks;
        this.delivery = delivery;
        this.stop = stop;
        this.metrics = metrics;
        this.backlog = backlog;
        this.reports = reports;
        this.pusher = pusher;
        this.progress = progress;
        this.layouts = layouts;
        this.clock = clock;
        this.quarantine = quarantine;
        this.reconciliation = reconciliation;
    }

    /** Runs once; the report's exit code is the process's. */
    public RunReport run() throws IOException {
        Instant started = clock.instant();
        try {
            files.prepare(checks.check());
            dataDir.prepare();
            refuseWorkOfOtherShardCounts();
        } catch (ConfigurationError error) {
            pushWithoutRunning(started, ExitCodes.CONFIG);
            throw error; // exit 78, the message names the property
        }
        String runId = dataDir.shard().runId(RunIds.next(started));
        Optional<RunLock> lock = RunLock.tryAcquire(dataDir.state());
        if (lock.isEmpty()) {
            LOG.infof("another run holds %s; this one does nothing",
                    dataDir.root().relativize(dataDir.state().resolve("ferry.lock")));
            return RunReport.skipped(runId, started, clock.instant());
        }
        try (RunLock held = lock.get()) {
            if (!RequeueJournal.completeAcrossShards(dataDir, quarantine, runId)) {
                LOG.warnf("run %s: a `ferry requeue` left its move into the shards' failed/ folders incomplete (%s), "
                        + "and another shard's run holds its lock: this run delivers nothing (an older version the "
                        + "move puts back could overtake what it sends). The next `ferry requeue`, or a run that gets "
                        + "every shard's lock, completes the move", runId,
                        dataDir.root().relativize(RequeueJournal.path(dataDir)));
                pushWithoutRunning(started, ExitCodes.WORK_LEFT);
                return RunReport.skipped(runId, started, clock.instant(), ExitCodes.WORK_LEFT);
            }
            restoreLastRuns();
            RunStats stats = metrics.startRun();
            progress.start(stats, backlog::refresh);
            pusher.start();
            try {
                return runLocked(runId, started, stats);
            } finally {
                progress.stop();
                pusher.stop(); // the final push, before the lock is released
            }
        }
    }

    /**
     * A key's shard depends on the count: work another count left (a file half delivered, records in failed/) must
     * be finished by that count, or a key's newer record could overtake an older one waiting in the other layout.
     */
    private void refuseWorkOfOtherShardCounts() throws IOException {
        List<String> work = layouts.workOfOtherCounts();
        if (!work.isEmpty()) {
            throw new ConfigurationError("ferry.shard.count", "is " + dataDir.shard().count()
                    + ", but runs of another count left work on the data dir: " + String.join("; ", work)
                    + ". Finish it with that count first (`ferry status` lists it), then change the count");
        }
    }

    /**
     * A run that cannot start (exit 78), or must not deliver (exit 75: a sharded requeue's move waits for another
     * shard's lock), still pushes once, with what any run records at its end: its last-run time and exit code move
     * on while the last success and the failed/ backlog keep their values (the push replaces the Pushgateway's
     * group), so the dashboard shows a job that runs and does not succeed, and FerryNoSuccessfulRun fires as for any
     * run that keeps failing.
     */
    private void pushWithoutRunning(Instant started, int exitCode) {
        restoreLastRuns(); // nothing to restore when the data dir is the problem
        backlog.refresh();
        Instant ended = clock.instant();
        metrics.runEnded(Duration.between(started, ended), ended.getEpochSecond(), exitCode);
        pusher.pushOnce();
    }

    private void restoreLastRuns() {
        Reports.LastRuns last = reports.lastRuns();
        metrics.restoreLastRuns(last.lastRunEpochSeconds(), last.lastSuccessEpochSeconds(), last.lastExitCode());
    }

    private RunReport runLocked(String runId, Instant started, RunStats stats) throws IOException {
        LOG.infof("run %s: starting (data dir %s, %s, target %s)", runId, dataDir.root(), dataDir.shard(),
                config.target().url().get());
        stop.reset(started.plus(config.run().maxDuration()));
        delivery.startRun();
        RunSummary summary = new RunSummary(runId, started, stats);
        try (RunContext run = files.newRun(runId)) {
            summary.files = run.files;
            summary.vanished = run.vanished;
            // a killed requeue's move is ended before anything reads failed/ or rejected/
            RequeueJournal.complete(dataDir, quarantine, runId);
            boolean reachedEnd = sources.resume(run)
                    && (sources.blocked() || replay.replay(run, started) && sources.takeInbox(run));
            summary.ambiguous = reconciliation.reconcile(run, reachedEnd);
            metrics.ambiguousPending(summary.ambiguous.pending());
            if (run.fatal() != null) {
                summary.error = RunSummary.describe(run.fatal());
            } else if (!reachedEnd && !stop.requested()) {
                summary.error = "the run ended early without a reason";
            }
        } catch (IOException | UncheckedIOException e) {
            summary.error = RunSummary.describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.request(StopSignal.Reason.SIGTERM);
        }
        delivery.finishRun();
        sources.cleanDone();
        summary.backlog = backlog.refresh();
        summary.stopReason = stop.reason();
        summary.exitCode = exitCode(summary);
        RunReport report = summary.report(clock.instant());
        try {
            reports.write(report);
        } catch (IOException e) {
            // a full or failing volume: the run's end still reaches the log and the metrics, as exit 1
            summary.error = (summary.error == null ? "" : summary.error + "; then ") + "cannot write the report: "
                    + RunSummary.describe(e);
            summary.exitCode = ExitCodes.UNEXPECTED;
            report = summary.report(report.endedAt());
        }
        metrics.runEnded(Duration.between(report.startedAt(), report.endedAt()), report.endedAt().getEpochSecond(),
                report.exitCode());
        summary.log(report);
        return report;
    }

    private int exitCode(RunSummary summary) throws IOException {
        if (summary.error != null) {
            return ExitCodes.UNEXPECTED;
        }
        if (summary.stopReason == StopSignal.Reason.CREDENTIALS_REFUSED) {
            return ExitCodes.CREDENTIALS_REFUSED;
        }
        if (summary.stopReason == StopSignal.Reason.CONFIGURATION) {
            return ExitCodes.CONFIG;
        }
        if (summary.stopReason == StopSignal.Reason.MISROUTED || summary.stopReason == StopSignal.Reason.MASS_DELETE) {
            return ExitCodes.MISROUTED;
        }
        return summary.backlog > 0 || !summary.vanished.isEmpty() || sources.inputLeft(stop.requested())
                ? ExitCodes.WORK_LEFT : ExitCodes.OK;
    }
}
