package dev.ferry.status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Json;
import dev.ferry.ingest.Inbox;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.CorruptStateException;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedFolder;
import dev.ferry.state.Quarantine;
import dev.ferry.state.Reports;
import dev.ferry.state.RequeueJournal;
import dev.ferry.state.SafeNames;
import dev.ferry.state.ShardLayouts;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What waits in the data dir, for {@code ferry status}; reads only, never changes anything. */
@ApplicationScoped
public class Backlog {

    /**
     * A file being processed and how far its checkpoint got.
     *
     * @param snapshot where a snapshot file ({@code ferry.snapshot.pattern}) is with its deletes; absent for another
     * @param corrupt  what is wrong with its checkpoint, for which the next run sets the file aside in quarantine/;
     *                 absent when the checkpoint reads (or there is none)
     */
    @RegisterForReflection
    public record InProgress(String file, String kind, long line,
            @JsonInclude(JsonInclude.Include.NON_NULL) String snapshot,
            @JsonInclude(JsonInclude.Include.NON_NULL) String corrupt) {
    }

    /**
     * @param shard           this process's shard ({@code unsharded} or {@code shard-<i>-of-<n>}): processing/ is
     *                        shared, the failed records and checkpoints shown are this shard's
     * @param quarantined     the files set aside in quarantine/, by name, each with its reason
     * @param otherShardCount work that runs of another {@code ferry.shard.count} left, which they must finish before
     *                        a run of this count starts
     * @param requeueIncomplete the journal of a {@code ferry requeue} whose move into failed/ was left incomplete
     *                        (relative to the data dir), absent when there is none: the next run completes it, with
     *                        shards only one that gets every shard's lock, and until then no shard's run delivers
     * @param lastReport      the newest run report as written, absent when there is none or it cannot be read
     * @param lastReportUnreadable the newest run report's file (relative to the data dir) and why it cannot be read,
     *                        absent when it can
     */
    @RegisterForReflection
    public record View(String dataDir, String shard, List<String> inbox, int inboxReady, List<InProgress> processing,
            long failedRecords, int failedFiles, long rejectedRecords, int rejectedFiles,
            List<Quarantine.Entry> quarantined, List<String> otherShardCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) String requeueIncomplete, JsonNode lastReport,
            @JsonInclude(JsonInclude.Include.NON_NULL) String lastReportUnreadable) {
    }

    private final DataDir dataDir;
    private final Checkpoints checkpoints;
    private final FerryConfig config;
    private final java.time.Clock clock;
    private final FailedFolder failed;
    private final Quarantine quarantine;
    private final ShardLayouts layouts;
    private final Reports reports;

    public Backlog(DataDir dataDir, Checkpoints checkpoints, FerryConfig config, java.time.Clock clock, FailedFolder failed,
            Quarantine quarantine, ShardLayouts layouts, Reports reports) {
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.config = config;
        this.clock = clock;
        this.failed = failed;
        this.quarantine = quarantine;
        this.layouts = layouts;
        this.reports = reports;
    }

    public View view() throws IOException {
        if (!Files.isDirectory(dataDir.root())) {
            throw new ConfigurationError("ferry.data-dir", dataDir.root() + " is not a directory");
        }
        Inbox inbox = new Inbox(dataDir.inbox(), config.inbox().settle(), clock);
        List<String> waiting = Files.isDirectory(dataDir.inbox()) ? inbox.waiting() : List.of();
        int ready = Files.isDirectory(dataDir.inbox()) ? inbox.ready().size() : 0;
        List<InProgress> processing = new ArrayList<>();
        // a checkpoint is found by the name a run under a UTF-8 locale knew; a file shown by a name any locale prints
        for (Path file : DataDir.files(dataDir.processing())) {
            String name = SafeNames.shown(file);
            try {
                Optional<Checkpoint> source = checkpoints.read(Checkpoint.Kind.SOURCE, SafeNames.original(file));
                processing.add(new InProgress(name, "source", source.map(Checkpoint::line).orElse(0L),
                        source.map(Checkpoint::snapshot).map(Backlog::describe).orElse(null), null));
            } catch (CorruptStateException corrupt) {
                processing.add(new InProgress(name, "source", 0, null, corrupt.getMessage()));
            }
        }
        for (Path file : dataDir.failedFiles()) {
            String name = SafeNames.shown(file);
            try {
                checkpoints.read(Checkpoint.Kind.REPLAY, SafeNames.original(file)).ifPresent(
                        cp -> processing.add(new InProgress("failed/" + name, "replay", cp.line(), null, null)));
            } catch (CorruptStateException corrupt) {
                processing.add(new InProgress("failed/" + name, "replay", 0, null, corrupt.getMessage()));
            }
        }
        LastReport last = lastReport();
        return new View(dataDir.root().toString(), dataDir.shard().toString(), waiting, ready, processing,
                failed.backlog(), dataDir.failedNames().size(), lines(dataDir.rejected()),
                DataDir.names(dataDir.rejected()).size(), quarantine.list(), layouts.workOfOtherCounts(),
                requeueIncomplete(), last.report(), last.unreadable());
    }

    private String requeueIncomplete() {
        Path journal = RequeueJournal.path(dataDir);
        return Files.exists(journal, LinkOption.NOFOLLOW_LINKS) ? dataDir.root().relativize(journal).toString() : null;
    }

    /** A snapshot's deletes in a few words; a held one with what an operator does about it. */
    static String describe(Checkpoint.Snapshot snapshot) {
        return switch (snapshot.phase()) {
            case READING -> "a snapshot: its records are being delivered, then the keys it left out are deleted";
            case DELETING -> "a snapshot: deleting the keys it left out";
            case HELD -> String.format(Locale.ROOT, "a snapshot, deletes HELD: it would delete %,d of %,d keys, more "
                    + "than ferry.snapshot.max-delete-ratio; nothing is taken from the inbox until a run with a higher "
                    + "ratio deletes them, or the file is removed from processing/", snapshot.absent(), snapshot.known());
        };
    }

    /** The newest run report as written (fields of later releases too), or its file and why it cannot be read. */
    private record LastReport(JsonNode report, String unreadable) {
    }

    private LastReport lastReport() throws IOException {
        Optional<Path> last = reports.newest();
        if (last.isEmpty()) {
            return new LastReport(null, null);
        }
        String name = dataDir.root().relativize(last.get()) + ": ";
        try {
            JsonNode report = Json.MAPPER.readTree(last.get().toFile());
            return report instanceof ObjectNode ? new LastReport(report, null)
                    : new LastReport(null, name + (report == null || report.isMissingNode() ? "empty" : "not a JSON object"));
        } catch (JsonProcessingException garbled) {
            return new LastReport(null, name + garbled.getOriginalMessage());
        }
    }

    private static long lines(Path folder) throws IOException {
        long count = 0;
        for (String name : DataDir.names(folder)) {
            // an undecodable byte (a line cut inside a character by a crash) still ends in a counted line
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    Files.newInputStream(folder.resolve(name)), StandardCharsets.UTF_8));
                    Stream<String> lines = reader.lines()) {
                count += lines.filter(line -> !line.isBlank()).count();
            }
        }
        return count;
    }

}
