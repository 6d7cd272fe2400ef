package dev.ferry.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.AdaptiveConcurrency;
import dev.ferry.delivery.GuardedSender;
import dev.ferry.core.RequestResult;
import dev.ferry.delivery.RetryBudget;
import dev.ferry.ingest.FailedRecordReader;
import dev.ferry.ingest.Inbox;
import dev.ferry.core.Json;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceFormat;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.PushgatewayPusher;
import dev.ferry.state.AppendLog;
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedFolder;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.ReplayGeneration;
import dev.ferry.state.RunLock;
import dev.ferry.delivery.BreakerGate;
import dev.ferry.core.StopSignal;
import dev.ferry.core.RunIds;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.ConfigurationError;

/**
 * One run (SPEC §1): take the lock, resume processing/, replay failed/, take the inbox, report.
 * Sources are delivered one file at a time, so at most one file is ever half done.
 */
@ApplicationScoped
public class FerryRun {

    private static final Logger LOG = Logger.getLogger(FerryRun.class);

    private final FerryConfig config;
    private final DataDir dataDir;
    private final Checkpoints checkpoints;
    private final GuardedSender sender;
    private final BreakerGate gate;
    private final StopSignal stop;
    private final FerryMetrics metrics;
    private final RetryBudget budget;
    private final Clock clock;
    private final FailedFolder failedFolder;
    @Inject
    PushgatewayPusher pusher; // metrics to the Pushgateway during the run and once at its end
    @Inject
    AdaptiveConcurrency concurrency; // records in delivery at once: slow start each run, AIMD
    @Inject
    ProgressReporter progress; // a progress line every ferry.log.progress-interval

    public FerryRun(FerryConfig config, DataDir dataDir, Checkpoints checkpoints, GuardedSender sender,
            BreakerGate gate, StopSignal stop, FerryMetrics metrics, RetryBudget budget, Clock clock, FailedFolder failedFolder) {
        this.config = config;
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.sender = sender;
        this.gate = gate;
        this.stop = stop;
        this.metrics = metrics;
        this.budget = budget;
        this.clock = clock;
        this.failedFolder = failedFolder;
    }

    /** Runs once; the report's exit code is the process's. */
    public RunReport run() throws IOException {
        Instant started = clock.instant();
        try {
            if (config.target().url().isEmpty()) {
                throw new ConfigurationError("ferry.target.url",
                        "not set (FERRY_TARGET_URL): where should records go?");
            }
            dataDir.prepare();
        } catch (ConfigurationError error) {
            pushConfigurationError(started);
            throw error; // exit 78, the message names the property
        }
        String runId = RunIds.next(started);
        Optional<RunLock> lock = RunLock.tryAcquire(dataDir.state());
        if (lock.isEmpty()) {
            LOG.info("another run holds state/ferry.lock; this one does nothing");
            return new RunReport(runId, started, clock.instant(), 0, ExitCodes.OK, null, true,
                    new RunReport.Records(0, 0, 0, 0, 0), 0, 0, 0, Map.of(), 0, List.of(), null);
        }
        try (RunLock held = lock.get()) {
            metrics.restoreLastRuns(dataDir.reports());
            progress.start(failedFolder::backlog);
            pusher.start();
            try {
                return runLocked(runId, started);
            } finally {
                progress.stop();
                pusher.stop(); // the final push, before the lock is released
            }
        }
    }

    /**
     * A run that cannot start (exit 78) still pushes once, with what any run records at its end: its last-run
     * time moves on while the last success and the failed/ backlog keep their values (the push replaces the
     * Pushgateway's group), so the dashboard shows a job that runs and does not succeed, and
     * FerryNoSuccessfulRun fires as for any run that keeps failing.
     */
    private void pushConfigurationError(Instant started) {
        metrics.restoreLastRuns(dataDir.reports()); // nothing to restore when the data dir is the problem
        metrics.failedBacklog(failedFolder.backlog());
        Instant ended = clock.instant();
        metrics.runEnded(Duration.between(started, ended), ended.getEpochSecond(), false);
        pusher.pushOnce();
    }

    private RunReport runLocked(String runId, Instant started) throws IOException {
        LOG.infof("run %s: starting (data dir %s, target %s)", runId, dataDir.root(), config.target().url().get());
        stop.reset(started.plus(config.run().maxDuration()));
        budget.reset();
        concurrency.startRun();
        gate.startRun();
        Baseline baseline = new Baseline(metrics);
        List<FileTally> files = new ArrayList<>();
        String error = null;
        try (RunContext run = new RunContext(config, sender, concurrency, gate, stop, metrics, checkpoints,
                new AppendLog(dataDir.failed(), runId), new AppendLog(dataDir.rejected(), runId),
                DeliveredIndex.open(dataDir.state()), clock)) {
            boolean reachedEnd = resumeSources(run, files) && replayFailed(run, files) && takeInbox(run, files);
            if (run.fatal() != null) {
                error = describe(run.fatal());
            } else if (!reachedEnd && !stop.requested()) {
                error = "the run ended early without a reason";
            }
        } catch (IOException | UncheckedIOException e) {
            error = describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.request(StopSignal.Reason.SIGTERM);
        }
        gate.finishRun();
        cleanDone();
        long backlog = failedFolder.backlog();
        metrics.failedBacklog(backlog);
        int exitCode = exitCode(error, backlog);
        Instant ended = clock.instant();
        RunReport report = report(runId, started, ended, exitCode, error, files, baseline, backlog);
        AtomicFiles.write(dataDir.reports().resolve(runId + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(report));
        metrics.runEnded(Duration.between(started, ended), ended.getEpochSecond(), exitCode == ExitCodes.OK);
        RunReport.Records r = report.records();
        LOG.infof("run %s: exit %d%s; read %d, delivered %d, failed %d, rejected %d, left %d; retries %d, breaker "
                + "openings %d; failed backlog %d; %.1fs", runId, exitCode,
                report.stopReason() == null ? "" : " (stopped: " + report.stopReason() + ")", r.read(), r.delivered(),
                r.failed(), r.rejected(), r.left(), report.retries(), report.breakerOpenings(), backlog,
                report.durationSeconds());
        if (error != null) {
            LOG.errorf("run %s: %s", runId, error);
        }
        return report;
    }

    /** Step 2: files a killed run left in processing/ continue from their checkpoint. */
    private boolean resumeSources(RunContext run, List<FileTally> files) throws IOException, InterruptedException {
        List<String> names = DataDir.names(dataDir.processing());
        for (String name : names) {
            Optional<Checkpoint> saved = checkpoints.read(Checkpoint.Kind.SOURCE, name);
            saved.ifPresent(this::cutBack);
            run.failedKeys = FailedKeys.of(dataDir.failed(), DataDir.names(dataDir.failed()));
            Checkpoint start = saved.orElseGet(() -> Checkpoint.start(name, Checkpoint.Kind.SOURCE));
            if (!deliver(run, dataDir.processing().resolve(name), start, files)) {
                return false;
            }
            finishSource(name);
        }
        return !run.stopping();
    }

    /** Step 3: failed/ files, oldest first; records that fail again go to one new file, the tail. */
    private boolean replayFailed(RunContext run, List<FileTally> files) throws IOException, InterruptedException {
        Optional<ReplayGeneration> resumed = ReplayGeneration.read(dataDir.state());
        ReplayGeneration generation;
        run.failed.rotate();
        if (resumed.isPresent()) {
            generation = resumed.get();
            for (String name : generation.files()) { // the file the replay stopped in: cut back what came after its checkpoint
                if (Files.exists(dataDir.failed().resolve(name))) {
                    checkpoints.read(Checkpoint.Kind.REPLAY, name).ifPresent(this::cutBack);
                    break;
                }
            }
            run.failed.continueFile(generation.tail(), Long.MAX_VALUE);
        } else {
            List<String> waiting = DataDir.names(dataDir.failed());
            if (waiting.isEmpty()) {
                return true;
            }
            generation = new ReplayGeneration(waiting, run.failed.name());
            generation.write(dataDir.state());
        }
        run.failedKeys = FailedKeys.of(dataDir.failed(), List.of(generation.tail()));
        for (String name : generation.files()) {
            Path path = dataDir.failed().resolve(name);
            if (!Files.exists(path)) {
                checkpoints.delete(Checkpoint.Kind.REPLAY, name);
                continue;
            }
            Checkpoint start = checkpoints.read(Checkpoint.Kind.REPLAY, name)
                    .orElseGet(() -> Checkpoint.start(name, Checkpoint.Kind.REPLAY));
            if (!deliver(run, path, start, files)) {
                return false;
            }
            AtomicFiles.delete(path);
            checkpoints.delete(Checkpoint.Kind.REPLAY, name);
        }
        ReplayGeneration.delete(dataDir.state());
        return !run.stopping();
    }

    /** Step 4: inbox files, one at a time in name order, claimed by an atomic rename into processing/. */
    private boolean takeInbox(RunContext run, List<FileTally> files) throws IOException, InterruptedException {
        Inbox inbox = new Inbox(dataDir.inbox(), config.inbox().settle(), clock);
        while (!run.stopping()) {
            Optional<Path> next = inbox.next();
            if (next.isEmpty()) {
                return true;
            }
            String name = next.get().getFileName().toString();
            Path claimed = dataDir.processing().resolve(name);
            if (Files.exists(claimed)) {
                throw new IOException("cannot claim inbox/" + name + ": processing/" + name + " exists");
            }
            // the checkpoint goes first, naming the failed/ and rejected/ sizes a crash would cut back to
            Checkpoint start = new Checkpoint(name, Checkpoint.Kind.SOURCE, 0, 0, List.of(), run.failed.name(),
                    run.failed.size(), run.rejected.name(), run.rejected.size(), false);
            run.failed.sync();
            run.rejected.sync();
            checkpoints.write(start);
            AtomicFiles.move(next.get(), claimed);
            if (!deliver(run, claimed, start, files)) {
                return false;
            }
            finishSource(name);
        }
        return false;
    }

    private boolean deliver(RunContext run, Path path, Checkpoint start, List<FileTally> files)
            throws IOException, InterruptedException {
        String name = path.getFileName().toString();
        FileTally tally = new FileTally(name, start.kind());
        files.add(tally);
        RecordReader reader;
        if (start.kind() == Checkpoint.Kind.REPLAY) {
            reader = new FailedRecordReader(path, "failed/" + name, start.offset(), start.line());
            LOG.infof("replaying failed/%s%s", name, start.offset() > 0 ? " from line " + (start.line() + 1) : "");
        } else {
            SourceFormat format = SourceFormat.of(name)
                    .orElseThrow(() -> new IOException("processing/" + name + " has no supported extension"));
            reader = format.open(path, config.record().keyField(), config.record().maxBytes(), start.offset(),
                    start.line());
            LOG.infof("%s %s%s", start.offset() > 0 ? "resuming" : "delivering", name,
                    start.offset() > 0 ? " from line " + (start.line() + 1) : "");
        }
        boolean complete = new FileDelivery(run, reader, start, tally).deliver();
        RunReport.FileSummary s = tally.summary();
        LOG.infof("%s: read %d, delivered %d, failed %d, rejected %d, left %d%s", name, s.read(), s.delivered(),
                s.failed(), s.rejected(), s.left(), complete ? "" : " (not finished)");
        return complete;
    }

    /** Undoes what a crashed run appended after its last checkpoint: those records are processed again. */
    private void cutBack(Checkpoint checkpoint) {
        try {
            cut(dataDir.failed(), checkpoint.failedFile(), checkpoint.failedSize());
            cut(dataDir.rejected(), checkpoint.rejectedFile(), checkpoint.rejectedSize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cut(Path folder, String file, long size) throws IOException {
        if (file != null && Files.exists(folder.resolve(file))) {
            AppendLog.truncate(folder.resolve(file), size);
        }
    }

    private void finishSource(String name) throws IOException {
        Path from = dataDir.processing().resolve(name);
        long bytes = Files.size(from);
        if (config.done().retention().isZero()) {
            AtomicFiles.delete(from);
        } else {
            Path to = dataDir.done().resolve(name);
            for (int n = 1; Files.exists(to); n++) {
                to = dataDir.done().resolve(name + "." + n);
            }
            AtomicFiles.move(from, to);
        }
        checkpoints.delete(Checkpoint.Kind.SOURCE, name);
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("file", name);
        entry.put("bytes", bytes);
        entry.put("finishedAt", clock.instant().toString());
        Files.writeString(dataDir.state().resolve("ingested.ndjson"), Json.write(entry) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private void cleanDone() {
        Duration retention = config.done().retention();
        if (retention.isZero()) {
            return;
        }
        Instant limit = clock.instant().minus(retention);
        try (Stream<Path> done = Files.list(dataDir.done())) {
            for (Path file : done.toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(limit)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot clean done/: %s", e.toString());
        }
    }

    private int exitCode(String error, long backlog) throws IOException {
        if (error != null) {
            return ExitCodes.UNEXPECTED;
        }
        if (stop.reason() == StopSignal.Reason.CREDENTIALS_REFUSED) {
            return ExitCodes.CREDENTIALS_REFUSED;
        }
        boolean inputLeft = !DataDir.names(dataDir.processing()).isEmpty()
                || (stop.requested() && !new Inbox(dataDir.inbox(), config.inbox().settle(), clock).ready().isEmpty());
        return backlog > 0 || inputLeft ? ExitCodes.WORK_LEFT : ExitCodes.OK;
    }

    private RunReport report(String runId, Instant started, Instant ended, int exitCode, String error,
            List<FileTally> files, Baseline baseline, long backlog) {
        List<RunReport.FileSummary> summaries = files.stream().map(FileTally::summary).toList();
        long read = summaries.stream().mapToLong(RunReport.FileSummary::read).sum();
        long delivered = summaries.stream().mapToLong(RunReport.FileSummary::delivered).sum();
        long failed = summaries.stream().mapToLong(RunReport.FileSummary::failed).sum();
        long rejected = summaries.stream().mapToLong(RunReport.FileSummary::rejected).sum();
        Map<String, Long> requests = new LinkedHashMap<>();
        for (RequestResult result : RequestResult.values()) {
            requests.put(result.tag(), (long) (metrics.requestCount(result) - baseline.requests.get(result)));
        }
        return new RunReport(runId, started, ended, Duration.between(started, ended).toMillis() / 1000.0, exitCode,
                stop.reason() == null ? null : stop.reason().name(), false,
                new RunReport.Records(read, delivered, failed, rejected, read - delivered - failed - rejected),
                (long) (metrics.retryCount() - baseline.retries),
                (long) (metrics.breakerOpenings() - baseline.openings),
                metrics.pausedSeconds() - baseline.paused, requests, backlog, summaries, error);
    }

    /** Counter values at the start of the run, so the report shows this run's share (serve runs many). */
    private static final class Baseline {
        final double retries;
        final double openings;
        final double paused;
        final Map<RequestResult, Double> requests = new LinkedHashMap<>();

        Baseline(FerryMetrics metrics) {
            retries = metrics.retryCount();
            openings = metrics.breakerOpenings();
            paused = metrics.pausedSeconds();
            for (RequestResult result : RequestResult.values()) {
                requests.put(result, metrics.requestCount(result));
            }
        }
    }

    private static String describe(Throwable problem) {
        Throwable root = problem instanceof UncheckedIOException u ? u.getCause() : problem;
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
