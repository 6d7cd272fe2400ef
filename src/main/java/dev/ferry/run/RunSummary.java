package dev.ferry.run;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.jboss.logging.Logger;

import dev.ferry.core.RequestResult;
import dev.ferry.core.StopSignal;
import dev.ferry.metrics.RunStats;
import dev.ferry.state.RunReport;

/** What one run did, gathered while it goes, and the report and log line made of it at its end. */
final class RunSummary {

    private static final Logger LOG = Logger.getLogger(FerryRun.class);

    final String runId;
    final Instant started;
    final RunStats stats;
    List<FileTally> files = List.of();
    List<String> vanished = List.of();
    String error;
    StopSignal.Reason stopReason;
    long backlog;
    RunReport.Ambiguous ambiguous = RunReport.Ambiguous.NONE;
    int exitCode;

    RunSummary(String runId, Instant started, RunStats stats) {
        this.runId = runId;
        this.started = started;
        this.stats = stats;
    }

    RunReport report(Instant ended) {
        List<RunReport.FileSummary> summaries = files.stream().map(FileTally::summary).toList();
        Map<String, Long> requests = new LinkedHashMap<>();
        for (RequestResult result : RequestResult.values()) {
            requests.put(result.tag(), stats.requests(result));
        }
        return new RunReport(runId, started, ended, Duration.between(started, ended).toMillis() / 1000.0, exitCode,
                stopReason == null ? null : stopReason.name(), false,
                new RunReport.Records(sum(summaries, RunReport.FileSummary::read),
                        sum(summaries, RunReport.FileSummary::deletes), sum(summaries, RunReport.FileSummary::delivered),
                        sum(summaries, RunReport.FileSummary::unchanged), sum(summaries, RunReport.FileSummary::deleted),
                        sum(summaries, RunReport.FileSummary::failed), sum(summaries, RunReport.FileSummary::rejected),
                        sum(summaries, RunReport.FileSummary::givenUp), sum(summaries, RunReport.FileSummary::left)),
                stats.retries(), stats.breakerOpenings(), stats.readerPaused().toNanos() / 1e9, requests, backlog,
                ambiguous, summaries, error);
    }

    private static long sum(List<RunReport.FileSummary> summaries, ToLongFunction<RunReport.FileSummary> count) {
        return summaries.stream().mapToLong(count).sum();
    }

    void log(RunReport report) {
        RunReport.Records r = report.records();
        LOG.infof("run %s: exit %d%s; read %d%s, delivered %d, unchanged %d, deleted %d, failed %d, rejected %d, given "
                + "up %d, left %d; retries %d, breaker openings %d; failed backlog %d; ambiguous re-sent %d, pending %d; "
                + "%.1fs", runId, report.exitCode(),
                report.stopReason() == null ? "" : " (stopped: " + report.stopReason() + ")", r.read(),
                r.deletes() == 0 ? "" : " + snapshot deletes " + r.deletes(), r.delivered(), r.unchanged(), r.deleted(),
                r.failed(), r.rejected(), r.givenUp(), r.left(), report.retries(), report.breakerOpenings(), backlog,
                ambiguous.resent(), ambiguous.pending(), report.durationSeconds());
        if (error != null) {
            LOG.errorf("run %s: %s", runId, error);
        }
    }

    /** The problem's type and message, and its innermost cause's message where that says more (a full volume). */
    static String describe(Throwable problem) {
        Throwable root = problem instanceof UncheckedIOException u ? u.getCause() : problem;
        String described = root.getClass().getSimpleName() + ": " + root.getMessage();
        Throwable innermost = root;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String cause = innermost.getMessage();
        return cause == null || described.contains(cause) ? described : described + " (" + cause + ")";
    }
}
