package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.TestClock;
import dev.ferry.core.Json;
import dev.ferry.core.Shard;

/**
 * A requeue's move stopped after each of its durable steps, as a kill -9 there would stop it: once
 * {@link RequeueJournal#complete} has run (the next requeue or run does that first), every record is in exactly one
 * place, failed/ or rejected/, and no journal or temporary file is left.
 */
class RequeueJournalTest {

    static final Instant AT = Instant.parse("2026-06-01T10:00:00Z");
    static final String FAILED = "g000000000009-requeue-x.ndjson";
    static final String A = "g000000000001-run1.ndjson";
    static final String B = "g000000000002-run2.ndjson";

    @TempDir
    Path root;

    /** Thrown by the test's step hook: the move goes no further, as after a kill. */
    static final class Killed extends RuntimeException {
        Killed(String step) {
            super("killed after " + step, null, false, false);
        }
    }

    @ParameterizedTest(name = "killed after {0} #{1}: the records moved = {2}")
    @CsvSource({
            RequeueJournal.JOURNAL_WRITTEN + ", 1, false",
            RequeueJournal.FAILED_WRITTEN + ", 1, false",
            RequeueJournal.FAILED_COMMITTED + ", 1, true",
            RequeueJournal.REJECTED_REWRITTEN + ", 1, true",
            RequeueJournal.REJECTED_REWRITTEN + ", 2, true" })
    void killedAfterAStep_theNextStartCompletesOrUndoesIt_everyRecordInExactlyOnePlace(String step, int nth,
            boolean moved) throws Exception {
        DataDir dataDir = layout();
        String before = Files.readString(dataDir.rejected().resolve(A));
        int[] passed = { 0 };

        assertThatThrownBy(() -> RequeueJournal.move(dataDir, target(), leaving(), done -> {
            if (done.equals(step) && ++passed[0] == nth) {
                throw new Killed(done);
            }
        })).isInstanceOf(Killed.class);
        assertThat(RequeueJournal.path(dataDir.state())).as("the journal outlives the kill").exists();

        RequeueJournal.complete(dataDir, new Quarantine(dataDir, new TestClock()), "next-run");

        assertThat(keys(dataDir.failed()))
                .containsExactlyInAnyOrderElementsOf(moved ? List.of("x1", "x2", "z") : List.of());
        assertThat(keys(dataDir.rejected())).containsExactlyInAnyOrderElementsOf(
                moved ? List.of("y") : List.of("x1", "y", "x2", "z"));
        if (!moved) {
            assertThat(Files.readString(dataDir.rejected().resolve(A))).isEqualTo(before);
        }
        assertThat(RequeueJournal.path(dataDir.state())).doesNotExist();
        assertThat(leftovers(dataDir)).isEmpty();
    }

    @Test
    void move_runToTheEnd_leavesOnlyTheKeptLines_deletesTheEmptiedFile_andNoJournal() throws Exception {
        DataDir dataDir = layout();

        RequeueJournal.move(dataDir, target(), leaving());

        assertThat(DataDir.names(dataDir.failed())).containsExactly(FAILED);
        assertThat(keys(dataDir.failed())).containsExactly("x1", "x2", "z");
        assertThat(DataDir.names(dataDir.rejected())).containsExactly(A);
        assertThat(Files.readAllLines(dataDir.rejected().resolve(A))).singleElement().asString().contains("\"y\"");
        assertThat(RequeueJournal.path(dataDir.state())).doesNotExist();
        assertThat(leftovers(dataDir)).isEmpty();
    }

    @Test
    void complete_withoutAJournal_changesNothing() throws Exception {
        DataDir dataDir = layout();

        RequeueJournal.complete(dataDir, new Quarantine(dataDir, new TestClock()), "next-run");

        assertThat(keys(dataDir.rejected())).containsExactly("x1", "y", "x2", "z");
        assertThat(DataDir.names(dataDir.failed())).isEmpty();
    }

    @Test
    void aCorruptJournal_goesToQuarantine_andTheRecordsStayWhereTheyAre() throws Exception {
        DataDir dataDir = layout();
        Files.writeString(RequeueJournal.path(dataDir.state()), "{\"failedFile\":\"../x\",\"removals\":[]}");

        RequeueJournal.complete(dataDir, new Quarantine(dataDir, new TestClock()), "next-run");

        assertThat(RequeueJournal.path(dataDir.state())).doesNotExist();
        assertThat(DataDir.names(dataDir.quarantine())).containsExactly("requeue.json", "requeue.json.reason.json");
        assertThat(Files.readString(dataDir.quarantine().resolve("requeue.json.reason.json")))
                .contains("state/requeue.json is corrupt");
        assertThat(keys(dataDir.rejected())).containsExactly("x1", "y", "x2", "z");
    }

    /** rejected/A: x1, y, x2 (x1 and x2 leave); rejected/B: z (leaves, emptying B). */
    DataDir layout() throws IOException {
        DataDir dataDir = new DataDir(root);
        dataDir.prepare();
        Files.writeString(dataDir.rejected().resolve(A), line("x1") + line("y") + line("x2"));
        Files.writeString(dataDir.rejected().resolve(B), line("z"));
        return dataDir;
    }

    static Map<String, List<Integer>> leaving() {
        return Map.of(A, List.of(0, 2), B, List.of(0));
    }

    /** The unsharded move's one new failed/ file. */
    static List<RequeueJournal.Target> target() {
        return List.of(new RequeueJournal.Target(Shard.SINGLE, FAILED, failedEntries()));
    }

    static List<FailedEntry> failedEntries() {
        List<FailedEntry> entries = new ArrayList<>();
        for (String key : List.of("x1", "x2", "z")) {
            entries.add(new FailedEntry(key, "fresh-" + key, record(key), "a.csv:1", 0, "requeued x: HTTP 422", AT, 0,
                    AT, null, null));
        }
        return entries;
    }

    static String line(String key) {
        return Json.write(RejectedEntry.refused("a.csv:1", 422, "{}", key, "i-" + key, record(key), AT, null)) + "\n";
    }

    static com.fasterxml.jackson.databind.node.ObjectNode record(String key) {
        return Json.MAPPER.createObjectNode().put("id", key);
    }

    static List<String> keys(Path folder) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String name : DataDir.names(folder)) {
            for (String line : Files.readAllLines(folder.resolve(name))) {
                keys.add(Json.read(line).get("key").asText());
            }
        }
        return keys;
    }

    /** Temporary files anywhere in the data dir. */
    static List<Path> leftovers(DataDir dataDir) throws IOException {
        try (Stream<Path> all = Files.walk(dataDir.root())) {
            return all.filter(path -> path.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
