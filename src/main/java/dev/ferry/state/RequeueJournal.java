package dev.ferry.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.core.Json;
import dev.ferry.core.Shard;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code state/requeue.json}: a move of records from rejected/ into new failed/ files ({@code ferry requeue}) that
 * has begun and not ended. Two folders cannot change in one atomic step, so the journal is made durable first,
 * naming the failed/ files and, per rejected/ file, its size then and the lines that leave it. Then each failed/
 * file is written to a temporary file, then each is committed (fsync, rename: it appears whole or not at all), then
 * each rejected/ file is rewritten without those lines (an emptied one is deleted), and the journal is deleted last.
 *
 * <p>After a kill at any moment, {@link #complete} (the next requeue, or the next run before it reads failed/ or
 * rejected/) ends the move the way the failed/ files say: if every one is there, the records are in failed/ and every
 * rejected/ file still at its recorded size loses the lines (a rewritten file is always smaller: lines only leave it);
 * if one is missing, nothing moved: the failed/ files already there and the temporary files are deleted. Either way
 * each record is in exactly one place. Used under the run lock of every shard the journal names: nothing else writes
 * rejected/ or those failed/ folders meanwhile, and no run replays a failed/ file of the move before it ends.
 *
 * <p>Unsharded the move has one failed/ file ({@code failedFile}). With {@code ferry.shard.count} n &gt; 1 the
 * journal is {@code state/requeue-shards-of-<n>.json}, shared by the shards of that count, and names one failed/ file
 * per shard that receives records ({@code failedFiles}, each {@code shard-<i>-of-<n>/<name>} under failed/): a shard's
 * run may complete it only while it holds every shard's lock ({@link #completeAcrossShards}).
 *
 * @param failedFile  unsharded: the new failed/ file; null with shards
 * @param failedFiles with shards: the new failed/ files, relative to failed/; null unsharded
 * @param removals    the rejected/ files that lose lines
 */
@RegisterForReflection(ignoreNested = true) // Removal registers itself; Target is never serialized
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequeueJournal(String failedFile, List<String> failedFiles, List<Removal> removals) {

    /** The journal of an unsharded move, into {@code failedFile}. */
    public RequeueJournal(String failedFile, List<Removal> removals) {
        this(failedFile, null, removals);
    }

    /** Steps of a move, for tests that stop it between two of them as a kill would. */
    static final String JOURNAL_WRITTEN = "journal-written";
    static final String FAILED_WRITTEN = "failed-written";
    static final String FAILED_COMMITTED = "failed-committed";
    static final String REJECTED_REWRITTEN = "rejected-rewritten";

    /**
     * @param file  a rejected/ file
     * @param size  its size before the move
     * @param lines indexes of the lines that leave it ({@link RejectedLines.Line#index})
     */
    @RegisterForReflection
    public record Removal(String file, long size, List<Integer> lines) {
    }

    /**
     * The records of one shard's new failed/ file.
     *
     * @param shard   whose failed/ folder receives it ({@link Shard#SINGLE} unsharded)
     * @param file    its name, a plain file name
     * @param entries its lines, in replay order
     */
    public record Target(Shard shard, String file, List<FailedEntry> entries) {
    }

    /**
     * Moves records from rejected/ into one new failed/ file per target, each in its shard's failed/ folder (all of
     * {@code dataDir}'s count; unsharded, one target of {@link Shard#SINGLE}), and the lines {@code lines} names
     * (rejected/ file → line indexes) leave rejected/.
     */
    public static void move(DataDir dataDir, List<Target> targets, Map<String, ? extends Collection<Integer>> lines)
            throws IOException {
        move(dataDir, targets, lines, step -> {
        });
    }

    /** {@link #move(DataDir, List, Map)}, telling {@code steps} each step it has made durable. */
    static void move(DataDir dataDir, List<Target> targets, Map<String, ? extends Collection<Integer>> lines,
            Consumer<String> steps) throws IOException {
        Shard shard = dataDir.shard();
        List<String> files = new ArrayList<>();
        for (Target target : targets) {
            if (!SafeNames.plain(target.file()) || target.shard().count() != shard.count()) {
                throw new IllegalArgumentException("not a plain file name of a shard of " + shard.count() + ": "
                        + target.file() + " of " + target.shard());
            }
            files.add(shard.single() ? target.file() : target.shard().name() + "/" + target.file());
        }
        List<Removal> removals = new ArrayList<>();
        for (Map.Entry<String, ? extends Collection<Integer>> file : lines.entrySet()) {
            Path path = dataDir.rejected().resolve(file.getKey());
            removals.add(new Removal(file.getKey(), Files.size(path), file.getValue().stream().sorted().toList()));
        }
        RequeueJournal journal = shard.single() ? new RequeueJournal(files.get(0), removals)
                : new RequeueJournal(null, files, removals);
        AtomicFiles.write(path(dataDir), Json.MAPPER.writeValueAsBytes(journal));
        steps.accept(JOURNAL_WRITTEN);

        List<Path> temps = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Path temp = AtomicFiles.createTemp(failedRoot(dataDir).resolve(files.get(i)));
            temps.add(temp);
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (FailedEntry entry : targets.get(i).entries()) {
                    out.write(Json.MAPPER.writeValueAsString(entry));
                    out.write('\n');
                }
            }
            steps.accept(FAILED_WRITTEN);
        }
        for (int i = 0; i < targets.size(); i++) {
            AtomicFiles.commit(temps.get(i), failedRoot(dataDir).resolve(files.get(i)));
            steps.accept(FAILED_COMMITTED);
        }

        journal.removeLines(dataDir, steps);
        AtomicFiles.delete(path(dataDir));
    }

    /**
     * Ends a move a killed requeue left ({@link RequeueJournal the rule}); nothing to do without one. The caller
     * holds the lock of every shard of {@code dataDir}'s count. A journal that does not say what it moved (damaged
     * from outside: it is written atomically) goes to quarantine/, and the run goes on: the failed/ files were written
     * before any line left rejected/, so its records are in failed/, rejected/ or both, never in neither.
     */
    public static void complete(DataDir dataDir, Quarantine quarantine, String runId) throws IOException {
        Path path = path(dataDir);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        RequeueJournal journal;
        try {
            journal = read(path, dataDir.shard());
        } catch (CorruptStateException corrupt) {
            quarantine.put(path, corrupt.getMessage() + ": the records of the requeue it recorded are in failed/, "
                    + "rejected/ or both (a later requeue skips rejected copies of keys delivered since)", runId);
            return;
        }
        List<Path> targets = journal.targets().stream().map(failedRoot(dataDir)::resolve).toList();
        if (targets.stream().allMatch(target -> Files.exists(target, LinkOption.NOFOLLOW_LINKS))) {
            journal.removeLines(dataDir, step -> {
            });
        } else {
            for (Path target : targets) {
                Files.deleteIfExists(AtomicFiles.tempOf(target));
                AtomicFiles.delete(target); // written whole, but its companions were not: the move did not happen
            }
        }
        AtomicFiles.delete(path);
    }

    /**
     * For a shard's run, holding its own lock: completes a move of its count's requeue ({@link #complete}) while it
     * can take every other shard's lock too, without waiting. It must not when another shard's run holds one: that
     * run may be replaying or appending to what the move changes.
     *
     * @return false when a move waits and another shard's lock is held: nothing changed, and the run must deliver
     *         nothing (a record it sends could be overtaken by an older version the move puts in failed/); true when
     *         there is no move (always so unsharded: {@link #complete} ends that one) or it was completed
     */
    public static boolean completeAcrossShards(DataDir dataDir, Quarantine quarantine, String runId)
            throws IOException {
        Shard shard = dataDir.shard();
        if (shard.single() || !Files.exists(path(dataDir), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        List<Shard> others = shard.all().stream().filter(other -> !other.equals(shard)).toList();
        try (ShardLocks locks = ShardLocks.tryAcquire(dataDir, others)) {
            if (locks.heldElsewhere().isPresent()) {
                return false;
            }
            complete(dataDir, quarantine, runId);
            return true;
        }
    }

    /** Where the journal of {@code dataDir}'s count is: {@code state/requeue.json} unsharded. */
    public static Path path(DataDir dataDir) {
        Shard shard = dataDir.shard();
        return shard.single() ? path(dataDir.state())
                : dataDir.state(Shard.SINGLE).resolve("requeue-shards-of-" + shard.count() + ".json");
    }

    /** {@code requeue.json} in an unsharded state folder. */
    static Path path(Path stateDir) {
        return stateDir.resolve("requeue.json");
    }

    /** The new failed/ files, relative to failed/. */
    private List<String> targets() {
        return failedFile != null ? List.of(failedFile) : failedFiles;
    }

    private static Path failedRoot(DataDir dataDir) {
        return dataDir.failed(Shard.SINGLE);
    }

    private static RequeueJournal read(Path path, Shard shard) throws IOException {
        String file = "state/" + path.getFileName();
        RequeueJournal journal;
        try {
            journal = Json.MAPPER.readValue(path.toFile(), RequeueJournal.class);
        } catch (JsonProcessingException e) {
            throw new CorruptStateException(file, e.getOriginalMessage());
        }
        if (journal == null || (journal.failedFile() == null) == (journal.failedFiles() == null)
                || !journal.targets().stream().allMatch(target -> target != null && validTarget(target, shard))
                || journal.removals() == null || !journal.removals().stream().allMatch(
                        r -> r != null && SafeNames.plain(r.file()) && r.lines() != null)) {
            throw new CorruptStateException(file,
                    "it does not name the failed/ files and the rejected/ lines by plain names");
        }
        return journal;
    }

    /** A plain name unsharded; {@code shard-<i>-of-<n>/<plain name>} of the journal's count with shards. */
    private static boolean validTarget(String target, Shard shard) {
        if (shard.single()) {
            return SafeNames.plain(target);
        }
        int slash = target.indexOf('/');
        if (slash < 0) {
            return false;
        }
        Optional<Shard> folder = DataDir.shardOf(target.substring(0, slash));
        return folder.isPresent() && folder.get().count() == shard.count() && folder.get().index() < shard.count()
                && SafeNames.plain(target.substring(slash + 1));
    }

    /** Takes the lines out of every rejected/ file still at its recorded size (the others were rewritten already). */
    private void removeLines(DataDir dataDir, Consumer<String> steps) throws IOException {
        for (Removal removal : removals) {
            Path path = dataDir.rejected().resolve(removal.file());
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) == removal.size()) {
                rewrite(path, new HashSet<>(removal.lines()));
                steps.accept(REJECTED_REWRITTEN);
            }
        }
    }

    private static void rewrite(Path path, Set<Integer> leaving) throws IOException {
        Path temp = AtomicFiles.createTemp(path);
        boolean kept = false;
        try (BufferedReader in = StateLines.open(path);
                BufferedWriter out = Files.newBufferedWriter(temp, StateLines.BYTES)) {
            int index = 0;
            for (String line = in.readLine(); line != null; line = in.readLine(), index++) {
                if (!leaving.contains(index) && !line.isBlank()) {
                    out.write(line);
                    out.write('\n');
                    kept = true;
                }
            }
        }
        if (kept) {
            AtomicFiles.commit(temp, path);
        } else {
            Files.delete(temp);
            AtomicFiles.delete(path);
        }
    }
}
