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
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.core.Json;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code state/requeue.json}: a move of records from rejected/ into one new failed/ file ({@code ferry requeue}) that
 * has begun and not ended. Two folders cannot change in one atomic step, so the journal is made durable first,
 * naming the failed/ file and, per rejected/ file, its size then and the lines that leave it. Then the failed/ file is
 * written (temporary file, fsync, rename: it appears whole or not at all), then each rejected/ file is rewritten
 * without those lines (an emptied one is deleted), and the journal is deleted last.
 *
 * <p>After a kill at any moment, {@link #complete} (the next requeue, or the next run before it reads failed/ or
 * rejected/) ends the move the way the failed/ file says: if it is there, the records are in failed/ and every
 * rejected/ file still at its recorded size loses the lines (a rewritten file is always smaller: lines only leave it);
 * if not, nothing moved and its temporary file is deleted. Either way each record is in exactly one place. Used under
 * the run lock: nothing else writes rejected/ meanwhile.
 *
 * @param failedFile the new failed/ file
 * @param removals   the rejected/ files that lose lines
 */
@RegisterForReflection
public record RequeueJournal(String failedFile, List<Removal> removals) {

    private static final String FILE = "state/requeue.json";

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
     * Moves records from rejected/ into a new failed/ file: {@code entries} are written to {@code failedFile}, and the
     * lines {@code lines} names (rejected/ file → line indexes) leave rejected/.
     */
    public static void move(DataDir dataDir, String failedFile, List<FailedEntry> entries,
            Map<String, ? extends Collection<Integer>> lines) throws IOException {
        move(dataDir, failedFile, entries, lines, step -> {
        });
    }

    /** {@link #move}, telling {@code steps} each step it has made durable. */
    static void move(DataDir dataDir, String failedFile, List<FailedEntry> entries,
            Map<String, ? extends Collection<Integer>> lines, Consumer<String> steps) throws IOException {
        if (!SafeNames.plain(failedFile)) {
            throw new IllegalArgumentException("not a plain file name: " + failedFile);
        }
        List<Removal> removals = new ArrayList<>();
        for (Map.Entry<String, ? extends Collection<Integer>> file : lines.entrySet()) {
            Path path = dataDir.rejected().resolve(file.getKey());
            removals.add(new Removal(file.getKey(), Files.size(path), file.getValue().stream().sorted().toList()));
        }
        RequeueJournal journal = new RequeueJournal(failedFile, removals);
        AtomicFiles.write(path(dataDir.state()), Json.MAPPER.writeValueAsBytes(journal));
        steps.accept(JOURNAL_WRITTEN);

        Path target = dataDir.failed().resolve(failedFile);
        Path temp = AtomicFiles.createTemp(target);
        try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (FailedEntry entry : entries) {
                out.write(Json.MAPPER.writeValueAsString(entry));
                out.write('\n');
            }
        }
        steps.accept(FAILED_WRITTEN);
        AtomicFiles.commit(temp, target);
        steps.accept(FAILED_COMMITTED);

        journal.removeLines(dataDir, steps);
        AtomicFiles.delete(path(dataDir.state()));
    }

    /**
     * Ends a move a killed requeue left ({@link RequeueJournal the rule}); nothing to do without one. A journal that
     * does not say what it moved (damaged from outside: it is written atomically) goes to quarantine/, and the run goes
     * on: the failed/ file was written before any line left rejected/, so its records are in failed/, rejected/ or
     * both, never in neither.
     */
    public static void complete(DataDir dataDir, Quarantine quarantine, String runId) throws IOException {
        Path path = path(dataDir.state());
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        RequeueJournal journal;
        try {
            journal = read(path);
        } catch (CorruptStateException corrupt) {
            quarantine.put(path, corrupt.getMessage() + ": the records of the requeue it recorded are in failed/, "
                    + "rejected/ or both (a later requeue skips rejected copies of keys delivered since)", runId);
            return;
        }
        Path target = dataDir.failed().resolve(journal.failedFile());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            journal.removeLines(dataDir, step -> {
            });
        } else {
            Files.deleteIfExists(AtomicFiles.tempOf(target));
        }
        AtomicFiles.delete(path);
    }

    /** {@code state/requeue.json}. */
    static Path path(Path stateDir) {
        return stateDir.resolve("requeue.json");
    }

    private static RequeueJournal read(Path path) throws IOException {
        RequeueJournal journal;
        try {
            journal = Json.MAPPER.readValue(path.toFile(), RequeueJournal.class);
        } catch (JsonProcessingException e) {
            throw new CorruptStateException(FILE, e.getOriginalMessage());
        }
        if (journal == null || !SafeNames.plain(journal.failedFile()) || journal.removals() == null
                || !journal.removals().stream().allMatch(
                        r -> r != null && SafeNames.plain(r.file()) && r.lines() != null)) {
            throw new CorruptStateException(FILE,
                    "it does not name the failed/ file and the rejected/ lines by plain names");
        }
        return journal;
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
        try (BufferedReader in = RejectedLines.open(path);
                BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
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
