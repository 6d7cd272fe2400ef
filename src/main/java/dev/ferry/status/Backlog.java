package dev.ferry.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.ingest.Inbox;
import dev.ferry.core.Json;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.CorruptStateException;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedFolder;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RequeueJournal;
import dev.ferry.state.ShardLayouts;
import io.quarkus.runtime.annotations.RegisterForReflection;
import dev.ferry.core.ConfigurationError;

/** What waits in the data dir, for {@code ferry status}; reads only, never changes anything. */
@ApplicationScoped
public class Backlog {

    /**
     * A file being processed and how far its checkpoint got.
     *
     * @param snapshot where a snapshot file ({@code ferry.snapshot.pattern}) is with its deletes; absent for another
     */
    @RegisterForReflection
    public record InProgress(String file, String kind, long line,
            @JsonInclude(JsonInclude.Include.NON_NULL) String snapshot) {
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
     */
    @RegisterForReflection
    public record View(String dataDir, String shard, List<String> inbox, int inboxReady, List<InProgress> processing,
            long failedRecords, int failedFiles, long rejectedRecords, int rejectedFiles,
            List<Quarantine.Entry> quarantined, List<String> otherShardCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) String requeueIncomplete, JsonNode lastReport) {
    }

    private final DataDir dataDir;
    private final Checkpoints checkpoints;
    private final FerryConfig config;
    private final java.time.Clock clock;
    private final FailedFolder failed;
    private final Quarantine quarantine;
    private final ShardLayouts layouts;

    public Backlog(DataDir dataDir, Checkpoints checkpoints, FerryConfig config, java.time.Clock clock, FailedFolder failed,
            Quarantine quarantine, ShardLayouts layouts) {
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.config = config;
        this.clock = clock;
        this.failed = failed;
        this.quarantine = quarantine;
        this.layouts = layouts;
    }

    public View view() throws IOException {
        if (!Files.isDirectory(dataDir.root())) {
            throw new ConfigurationError("ferry.data-dir", dataDir.root() + " is not a directory");
        }
        Inbox inbox = new Inbox(dataDir.inbox(), config.inbox().settle(), clock);
        List<String> waiting = Files.isDirectory(dataDir.inbox()) ? inbox.waiting() : List.of();
        int ready = Files.isDirectory(dataDir.inbox()) ? inbox.ready().size() : 0;
        List<InProgress> processing = new ArrayList<>();
        for (String name : DataDir.names(dataDir.processing())) {
            Optional<Checkpoint> source = checkpoint(Checkpoint.Kind.SOURCE, name);
            processing.add(new InProgress(name, "source", source.map(Checkpoint::line).orElse(0L),
                    source.map(Checkpoint::snapshot).map(Backlog::describe).orElse(null)));
        }
        for (String name : dataDir.failedNames()) {
            Optional<Checkpoint> replay = checkpoint(Checkpoint.Kind.REPLAY, name);
            replay.ifPresent(cp -> processing.add(new InProgress("failed/" + name, "replay", cp.line(), null)));
        }
        return new View(dataDir.root().toString(), dataDir.shard().toString(), waiting, ready, processing,
                failed.backlog(), dataDir.failedNames().size(), lines(dataDir.rejected()),
                DataDir.names(dataDir.rejected()).size(), quarantine.list(), layouts.workOfOtherCounts(),
                requeueIncomplete(), lastReport());
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

    /** A corrupt checkpoint reads as none here: the next run sets its file aside. */
    private Optional<Checkpoint> checkpoint(Checkpoint.Kind kind, String name) throws IOException {
        try {
            return checkpoints.read(kind, name);
        } catch (CorruptStateException corrupt) {
            return Optional.empty();
        }
    }

    private JsonNode lastReport() throws IOException {
        Optional<Path> last;
        try (Stream<Path> reports = list(dataDir.reports())) {
            last = reports.filter(p -> !p.getFileName().toString().startsWith("verify-"))
                    .max(Comparator.comparing(Path::getFileName));
        }
        return last.isPresent() ? Json.MAPPER.readTree(last.get().toFile()) : null;
    }

    private static long lines(Path folder) throws IOException {
        long count = 0;
        for (String name : DataDir.names(folder)) {
            try (Stream<String> lines = Files.lines(folder.resolve(name))) {
                count += lines.filter(line -> !line.isBlank()).count();
            }
        }
        return count;
    }

    private static Stream<Path> list(Path folder) throws IOException {
        return Files.isDirectory(folder) ? Files.list(folder) : Stream.empty();
    }
}
