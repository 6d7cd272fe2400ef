package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.core.Json;

/**
 * Checkpoints are named by a hash of the file's name, so any name the file system accepts has one; a
 * checkpoint of an earlier version (named after the file) is still read; a damaged one is reported as such.
 */
class CheckpointsTest {

    @TempDir
    Path root;

    DataDir dataDir;
    Checkpoints checkpoints;

    @BeforeEach
    void setUp() {
        dataDir = new DataDir(root);
        dataDir.prepare();
        checkpoints = new Checkpoints(dataDir);
    }

    static List<String> oddNames() {
        String name250 = "ü".repeat(100) + "y".repeat(43) + ".ndjson";
        assertThat(name250.getBytes(StandardCharsets.UTF_8)).hasSize(250);
        return List.of(name250, "日本語.csv", "with space.csv", "100%25.csv", "two\nlines.csv", "-dash.csv",
                "--help.ndjson");
    }

    @ParameterizedTest
    @MethodSource("oddNames")
    void anyName_isWrittenReadAndDeleted_underItsHashedName(String name) throws Exception {
        Checkpoint checkpoint = new Checkpoint(name, Checkpoint.Kind.SOURCE, 42, 3, List.of(50L), "f.ndjson", 7, null,
                0, false, null, null);

        checkpoints.write(checkpoint);

        assertThat(files()).containsExactly("source-" + SafeNames.hash(name) + ".json");
        assertThat(files().get(0)).matches("source-[0-9a-f]{32}\\.json");
        assertThat(checkpoints.read(Checkpoint.Kind.SOURCE, name)).contains(checkpoint);
        assertThat(checkpoints.read(Checkpoint.Kind.REPLAY, name)).isEmpty();
        checkpoints.delete(Checkpoint.Kind.SOURCE, name);
        assertThat(files()).isEmpty();
    }

    @Test
    void checkpointUnderThePreHashName_isRead_andTheNextWriteReplacesIt() throws Exception {
        Checkpoint old = new Checkpoint("a.csv", Checkpoint.Kind.SOURCE, 10, 1, List.of(), null, 0, null, 0, false, null,
                null);
        Files.writeString(folder().resolve("source-a.csv.json"), Json.MAPPER.writeValueAsString(old));

        assertThat(checkpoints.read(Checkpoint.Kind.SOURCE, "a.csv")).contains(old);

        Checkpoint next = new Checkpoint("a.csv", Checkpoint.Kind.SOURCE, 20, 2, List.of(), null, 0, null, 0, false, null,
                null);
        checkpoints.write(next);
        assertThat(files()).containsExactly(Checkpoints.fileName(Checkpoint.Kind.SOURCE, "a.csv"));
        assertThat(checkpoints.read(Checkpoint.Kind.SOURCE, "a.csv")).contains(next);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "null", "{\"file\":\"a.c", "[]", "{\"file\":\"other.csv\",\"kind\":\"SOURCE\",\"offset\":0,"
            + "\"line\":0,\"settledAhead\":[]}", "{\"file\":\"a.csv\",\"kind\":\"SIDEWAYS\"}",
            "{\"file\":\"a.csv\",\"kind\":\"SOURCE\",\"offset\":0,\"line\":0}",
            "{\"file\":\"a.csv\",\"kind\":\"SOURCE\",\"offset\":0,\"line\":0,\"settledAhead\":[],"
                    + "\"failedFile\":\"../state/ferry.lock\",\"failedSize\":0}" })
    void damagedCheckpoint_isReportedAsCorrupt_namingTheFile(String content) throws Exception {
        Files.writeString(folder().resolve(Checkpoints.fileName(Checkpoint.Kind.SOURCE, "a.csv")), content);

        assertThatThrownBy(() -> checkpoints.read(Checkpoint.Kind.SOURCE, "a.csv"))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith("state/checkpoints/" + Checkpoints.fileName(Checkpoint.Kind.SOURCE, "a.csv")
                        + " is corrupt: ");
    }

    @Test
    void corruptReplayState_isReportedAsCorrupt_alsoWhenItNamesAPathOutsideFailed() throws Exception {
        Files.writeString(ReplayGeneration.path(dataDir.state()), "{\"files\":[\"../state/ferry.lock\"],\"tail\":\"t\"}");
        assertThatThrownBy(() -> ReplayGeneration.read(dataDir.state())).isInstanceOf(CorruptStateException.class);

        Files.writeString(ReplayGeneration.path(dataDir.state()), "{\"files\":[\"a\"");
        assertThatThrownBy(() -> ReplayGeneration.read(dataDir.state())).isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith("state/replay.json is corrupt");
    }

    private Path folder() {
        return dataDir.state().resolve("checkpoints");
    }

    private List<String> files() throws Exception {
        return DataDir.names(folder());
    }
}
