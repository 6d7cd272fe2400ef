package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.Shard;

/**
 * Work that runs of another {@code ferry.shard.count} left on the data dir: checkpoints of files they were
 * delivering, records waiting in their failed/ folders, files in processing/ that their shards claimed, a
 * {@code ferry requeue}'s move they left incomplete ({@link RequeueJournal}). A key's
 * shard depends on the count, so a run of another count must not take such work over: it could send a key's newer
 * record while an older one waits in another layout's failed/ or checkpoint. Such a run refuses to start
 * ({@code ferry.shard.count}, exit 78) until the old count has finished it; {@code ferry status} lists it. What is
 * not work (a breaker, a ledger, a sequence) does not count. Reads only.
 */
@ApplicationScoped
public class ShardLayouts {

    private final DataDir dataDir;
    private final ShardClaims claims;

    public ShardLayouts(DataDir dataDir, ShardClaims claims) {
        this.dataDir = dataDir;
        this.claims = claims;
    }

    /** What other counts than this run's left, one line each (empty: nothing, the run may go on). */
    public List<String> workOfOtherCounts() throws IOException {
        Shard shard = dataDir.shard();
        List<String> work = new ArrayList<>();
        Set<Integer> counts = new HashSet<>();
        for (Shard other : layouts()) {
            if (other.count() == shard.count()) {
                continue;
            }
            Path journal = RequeueJournal.path(new DataDir(dataDir.root(), other));
            if (counts.add(other.count()) && Files.exists(journal, LinkOption.NOFOLLOW_LINKS)) {
                work.add("ferry.shard.count " + other.count() + ": a `ferry requeue` of that count did not complete "
                        + "its move, in " + relative(journal));
            }
            int checkpoints = DataDir.names(dataDir.checkpoints(other)).size();
            if (checkpoints > 0) {
                work.add(describe(other) + ": " + checkpoints + " checkpoint(s) of files not finished, in "
                        + relative(dataDir.checkpoints(other)));
            }
            int failed = new DataDir(dataDir.root(), other).failedNames().size();
            if (failed > 0) {
                work.add(describe(other) + ": " + failed + " file(s) of records waiting in "
                        + relative(dataDir.failed(other)));
            }
        }
        for (String name : DataDir.names(dataDir.processing())) {
            if (shard.single() ? claims.claimedByShards(name)
                    : claims.markedBy(name).stream().anyMatch(marked -> marked.count() != shard.count())) {
                work.add("processing/" + name + ": claimed by shards of another ferry.shard.count, not finished by all");
            }
        }
        return work;
    }

    /**
     * Every layout the data dir has folders of: unsharded ({@code state/checkpoints}, files in {@code failed/}),
     * and each {@code shard-<i>-of-<n>} under state/ or failed/.
     */
    public List<Shard> layouts() throws IOException {
        List<Shard> layouts = new ArrayList<>(List.of(Shard.SINGLE));
        for (Path folder : List.of(dataDir.state(Shard.SINGLE), dataDir.failed(Shard.SINGLE))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(folder)) {
                for (Path entry : entries.filter(Files::isDirectory).toList()) {
                    Optional<Shard> shard = DataDir.shardOf(entry.getFileName().toString());
                    if (shard.isPresent() && !shard.get().single() && !layouts.contains(shard.get())) {
                        layouts.add(shard.get());
                    }
                }
            }
        }
        return layouts;
    }

    private static String describe(Shard shard) {
        return "ferry.shard.count " + shard.count() + (shard.single() ? "" : " (shard " + shard.index() + ")");
    }

    private String relative(Path path) {
        return dataDir.root().relativize(path).toString();
    }
}
