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
import dev.ferry.core.Shard;

/**
 * {@code reports/}: one {@link RunReport} per run, named {@code <run-id>.json} (run ids begin with their UTC start
 * time, so the newest sorts last, and end with the shard's name when shards share the data dir), beside verify's
 * {@code verify-<id>.json}. The one writer and reader of run reports.
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

    /** The newest run report of any shard, skipped runs included; empty when there is none or it cannot be read. */
    public Optional<RunReport> last() {
        return newest().flatMap(Reports::read);
    }

    /** The file of the newest run report of any shard, skipped runs included; empty when there is none. */
    public Optional<Path> newest() {
        return newestFirst(false).stream().findFirst();
    }

    /**
     * The end and exit code of the newest run that did something (runs that found the lock taken are skipped) and
     * the end of the newest successful one (exit 0), from the last {@value #LOOKBACK} reports of this shard (each
     * shard pushes its own last-run gauges); unreadable reports are skipped.
     */
    public LastRuns lastRuns() {
        long lastRun = 0;
        Integer lastExitCode = null;
        for (Path path : newestFirst(true)) {
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

    /** The run reports, newest first: of this shard only, or of every shard. */
    private List<Path> newestFirst(boolean thisShard) {
        if (!Files.isDirectory(dataDir.reports())) {
            return List.of();
        }
        Shard shard = dataDir.shard();
        String suffix = "-" + shard.name() + ".json";
        try (Stream<Path> files = Files.list(dataDir.reports())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> RUN_REPORT.matcher(name).matches())
                    .filter(name -> !thisShard || (shard.single() ? !name.contains("-shard-") : name.endsWith(suffix)))
                    .sorted(Comparator.reverseOrder()).limit(LOOKBACK).map(dataDir.reports()::resolve).toList();
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
