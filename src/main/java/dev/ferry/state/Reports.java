package dev.ferry.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.Json;

/**
 * {@code reports/}: one {@link RunReport} per run, named {@code <run-id>.json} (run ids begin with their UTC start
 * time, so the newest sorts last), beside verify's {@code verify-<id>.json}. The one writer and reader of run reports.
 */
@ApplicationScoped
public class Reports {

    /** reports/&lt;run-id&gt;.json of runs (not verify-*.json); the run id starts with yyyyMMdd'T'. */
    private static final Pattern RUN_REPORT = Pattern.compile("\\d{8}T[^/]*\\.json");
    private static final int LOOKBACK = 1000;

    /**
     * What the last runs say for the last-run gauges: when the last run and the last success ended (0: none), and
     * the last run's exit code (null: none).
     */
    public record LastRuns(long lastRunEpochSeconds, long lastSuccessEpochSeconds, Integer lastExitCode) {
    }

    private final DataDir dataDir;

    public Reports(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    public void write(RunReport report) throws IOException {
        AtomicFiles.write(dataDir.reports().resolve(report.runId() + ".json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
    }

    /** The newest run report, skipped runs included; empty when there is none or it cannot be read. */
    public Optional<RunReport> last() {
        return newestFirst().stream().findFirst().flatMap(Reports::read);
    }

    /**
     * The end and exit code of the newest run that did something (runs that found the lock taken are skipped) and
     * the end of the newest successful one (exit 0), from the last {@value #LOOKBACK} reports; unreadable reports
     * are skipped.
     */
    public LastRuns lastRuns() {
        long lastRun = 0;
        Integer lastExitCode = null;
        for (Path path : newestFirst()) {
            Optional<RunReport> report = read(path);
            if (report.isEmpty() || report.get().skipped()) {
                continue;
            }
            long ended = report.get().endedAt().getEpochSecond();
            if (lastExitCode == null) {
                lastRun = ended;
                lastExitCode = report.get().exitCode();
            }
            if (report.get().exitCode() == 0) {
                return new LastRuns(lastRun, ended, lastExitCode);
            }
        }
        return new LastRuns(lastRun, 0, lastExitCode);
    }

    private List<Path> newestFirst() {
        if (!Files.isDirectory(dataDir.reports())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dataDir.reports())) {
            return files.filter(f -> RUN_REPORT.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.reverseOrder()).limit(LOOKBACK).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    private static Optional<RunReport> read(Path path) {
        try {
            return Optional.of(Json.MAPPER.readValue(path.toFile(), RunReport.class));
        } catch (IOException | RuntimeException damaged) {
            return Optional.empty();
        }
    }

}
