package dev.ferry.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.ExitCodes;
import dev.ferry.core.Outcome;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.metrics.RunStats;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import dev.ferry.verify.Verifier;
import dev.ferry.verify.VerifyReport;
import io.vertx.core.Vertx;

/**
 * {@code ferry demo}: the real job against {@link FlakyApi}, run after run until nothing is left,
 * then what the API holds compared with what the files said.
 */
@ApplicationScoped
public class Demo {

    static final Set<String> REFUSED = Set.of("c-00007", "c-00042");
    /** A record the API always fails: given up after ferry.failed.max-runs (2 in the demo profile). */
    static final Set<String> POISON = Set.of(SampleFiles.POISON);
    static final int MAX_RUNS = 6;

    private final FerryRun run;
    private final Vertx vertx;
    private final FerryMetrics metrics;
    private final Verifier verifier;
    private final Clock clock;

    public Demo(FerryRun run, Vertx vertx, FerryMetrics metrics, Verifier verifier, Clock clock) {
        this.run = run;
        this.vertx = vertx;
        this.metrics = metrics;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** @return true when the API ends up holding exactly what the files said */
    public boolean play(Path dataDir, int port, int records, long seed, Duration outage, PrintWriter out)
            throws IOException {
        FaultPlan plan = FaultPlan.demo(seed).toBuilder().outage(Duration.ofMillis(1500), outage).rejectKeys(REFUSED)
                .poisonKeys(POISON)
                .build();
        try (FlakyApi api = FlakyApi.start(vertx, plan, port)) {
            SampleFiles files = SampleFiles.write(dataDir.resolve("inbox"), records, seed,
                    union(REFUSED, POISON));
            out.printf("ferry demo%n  flaky API   %s%n  data dir    %s%n  input       %d records in 4 files "
                    + "(keys repeat across files; %d accounts go active → suspended → active), %d unusable lines%n",
                    api.baseUrl(), dataDir, files.records(), SampleFiles.RETURNING, files.unusable());
            out.printf("  shaping     CSV since → date, vip (yes/no) → boolean, name → fullName (%%demo.ferry.record.*); "
                    + "a date that does not exist is rejected%n");
            out.printf("  faults      5%% 5xx, 3%% 429 + Retry-After, 2%% connection resets, 3%% stored-then-504, "
                    + "1%% slow answers (timeouts),%n              an outage of %ss after 1.5s (opens the breaker), "
                    + "%d keys refused with 422,%n              1 key the API always fails (given up after 2 runs)%n%n",
                    outage.toMillis() / 1000.0, REFUSED.size());
            out.flush();
            Totals totals = new Totals();
            RunReport report;
            do {
                try (Progress progress = Progress.start(metrics, clock, out, totals.runs + 1)) {
                    report = run.run();
                }
                totals.add(report);
                out.printf("  run %d: exit %d — delivered %d, failed %d, rejected %d%s%n", totals.runs,
                        report.exitCode(), report.records().delivered(), report.records().failed(),
                        report.records().rejected(), report.exitCode() == ExitCodes.WORK_LEFT
                                ? " (failed/ is replayed by the next run)" : "");
                out.flush();
            } while (report.exitCode() == ExitCodes.WORK_LEFT && totals.runs < MAX_RUNS);
            int differences = SampleFiles.differences(files.expected(), api.state());
            VerifyReport verified = verifier.verify(false, false, OptionalLong.empty());
            FlakyStats stats = api.stats();
            out.printf("%n  %-26s %d%n", "records sent", files.records() + files.unusable());
            out.printf("  %-26s %d%n", "delivered", totals.delivered);
            out.printf("  %-26s %d (equal to the version delivered last: not sent)%n", "unchanged", totals.unchanged);
            out.printf("  %-26s %d → %d (%d delivered by a later run)%n", "failed → replayed", totals.failed,
                    totals.replayed, totals.replayedDelivered);
            out.printf("  %-26s %d (%d unusable lines, %d refused by the API)%n", "rejected", totals.rejected,
                    files.unusable(), totals.rejected - files.unusable());
            out.printf("  %-26s %d (%s, failed in every run)%n", "given up", totals.givenUp,
                    String.join(", ", POISON));
            out.printf("  %-26s %d%n", "retries", totals.retries);
            out.printf("  %-26s %d%n", "breaker openings", totals.openings);
            out.printf("  %-26s %d (%d answered 5xx/429, %d reset)%n", "requests the API saw", stats.requests(),
                    stats.statuses().entrySet().stream().filter(e -> e.getKey() >= 500 || e.getKey() == 429)
                            .mapToLong(e -> e.getValue()).sum(), stats.resets());
            out.printf("  %-26s %d%n", "runs", totals.runs);
            out.printf("%n  API state equals files: %s (%d keys%s)%n", differences == 0 ? "yes" : "NO",
                    files.expected().size(), differences == 0 ? "" : ", " + differences + " differ");
            out.printf("  ferry verify (read back through the API): %d keys, %d matched, %d missing, %d different "
                    + "(reports/verify-%s.json)%n", verified.total(), verified.matched(), verified.missingCount(),
                    verified.differentCount(), verified.verifyId());
            out.printf("  look around: FERRY_DATA_DIR=%s java -jar target/quarkus-app/quarkus-run.jar status%n",
                    dataDir);
            out.flush();
            return differences == 0 && report.exitCode() == ExitCodes.OK && verified.exitCode() == ExitCodes.OK;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Sums of the run reports. */
    private static final class Totals {
        int runs;
        long delivered;
        long unchanged;
        long failed;
        long replayed;
        long replayedDelivered;
        long rejected;
        long givenUp;
        long retries;
        long openings;

        void add(RunReport report) {
            runs++;
            delivered += report.records().delivered();
            unchanged += report.records().unchanged();
            failed += report.records().failed();
            rejected += report.records().rejected();
            givenUp += report.records().givenUp();
            retries += report.retries();
            openings += report.breakerOpenings();
            replayed += report.files().stream().filter(f -> f.kind().equals("replay"))
                    .mapToLong(RunReport.FileSummary::read).sum();
            replayedDelivered += report.files().stream().filter(f -> f.kind().equals("replay"))
                    .mapToLong(RunReport.FileSummary::delivered).sum();
        }
    }

    /** A live line on a terminal (plain lines when not a TTY): records/s, retries, breaker state. */
    static final class Progress implements AutoCloseable {
        private final Thread thread;
        private volatile boolean done;

        private Progress(FerryMetrics metrics, Clock clock, PrintWriter out, int runNumber) {
            boolean tty = System.console() != null;
            Instant started = clock.instant();
            thread = new Thread(() -> {
                long period = tty ? 250 : 2000;
                while (!done) {
                    try {
                        Thread.sleep(period);
                    } catch (InterruptedException e) {
                        return;
                    }
                    double seconds = Duration.between(started, clock.instant()).toNanos() / 1e9;
                    RunStats run = metrics.run(); // the run's own, fresh when it starts
                    long count = run.records(Outcome.DELIVERED) + run.records(Outcome.UNCHANGED)
                            + run.records(Outcome.FAILED) + run.records(Outcome.REJECTED);
                    String line = String.format("  run %d  %6d settled  %6.0f rec/s  retries %4d  breaker %s",
                            runNumber, count, count / Math.max(seconds, 0.001), run.retries(),
                            new String[] { "closed", "OPEN (reader paused)", "half-open (trial)" }[
                                    (int) metrics.breakerStateValue()]);
                    if (tty) {
                        out.print("\r" + line + "      ");
                    } else {
                        out.println(line);
                    }
                    out.flush();
                }
                if (tty) {
                    out.print("\r" + " ".repeat(90) + "\r");
                    out.flush();
                }
            }, "ferry-demo-progress");
            thread.setDaemon(true);
        }

        static Progress start(FerryMetrics metrics, Clock clock, PrintWriter out, int runNumber) {
            Progress progress = new Progress(metrics, clock, out, runNumber);
            progress.thread.start();
            return progress;
        }

        @Override
        public void close() {
            done = true;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
