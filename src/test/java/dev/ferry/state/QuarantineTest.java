package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestData;
import dev.ferry.core.Json;

/** quarantine/: entries moved as they are (never followed, never opened), each with its reason. */
class QuarantineTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path root;
    @TempDir
    Path outside;

    DataDir dataDir;
    Quarantine quarantine;

    @BeforeEach
    void setUp() {
        dataDir = new DataDir(root);
        dataDir.prepare();
        quarantine = new Quarantine(dataDir, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void symlink_isMovedAsTheLink_andItsTargetIsUntouched() throws Exception {
        Path target = Files.writeString(outside.resolve("secret.txt"), "secret");
        Path link = Files.createSymbolicLink(dataDir.inbox().resolve("link.ndjson"), target);

        Optional<Path> moved = quarantine.put(link, "a link", "run-1");

        assertThat(moved).contains(dataDir.quarantine().resolve("link.ndjson"));
        assertThat(Files.isSymbolicLink(moved.get())).isTrue();
        assertThat(Files.readSymbolicLink(moved.get())).isEqualTo(target);
        assertThat(target).hasContent("secret");
        assertThat(link).doesNotExist();
        Quarantine.Note note = note("link.ndjson");
        assertThat(note).isEqualTo(new Quarantine.Note("inbox/link.ndjson", "a link", note.whatNext(), NOW, "run-1"));
        assertThat(note.whatNext()).contains("Nothing was read from it");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifo_isMovedWithoutBeingOpened() throws Exception {
        Path fifo = TestData.mkfifo(dataDir.inbox().resolve("pipe.csv"));

        quarantine.put(fifo, "a FIFO", "run-1");

        Path moved = dataDir.quarantine().resolve("pipe.csv");
        assertThat(Files.isRegularFile(moved, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.isDirectory(moved, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.isSymbolicLink(moved)).isFalse();
        assertThat(Files.exists(moved, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void repeatedName_getsTheNextNumber_andTheFailedFileSaysItHoldsUndeliveredRecords() throws Exception {
        Files.writeString(dataDir.failed().resolve("x.ndjson"), "first");
        quarantine.put(dataDir.failed().resolve("x.ndjson"), "one", "run-1");
        Files.writeString(dataDir.failed().resolve("x.ndjson"), "second");

        quarantine.put(dataDir.failed().resolve("x.ndjson"), "two", "run-2");

        assertThat(dataDir.quarantine().resolve("x.ndjson")).hasContent("first");
        assertThat(dataDir.quarantine().resolve("x.ndjson.1")).hasContent("second");
        assertThat(note("x.ndjson.1").reason()).isEqualTo("two");
        assertThat(note("x.ndjson.1").whatNext()).contains("NOT delivered").contains("move it back to failed/");
        assertThat(quarantine.list()).extracting(Quarantine.Entry::name).containsExactly("x.ndjson", "x.ndjson.1");
    }

    @Test
    void nameTooLongForTheReasonSuffix_isShortenedTheSameWayEachTime_andTheNoteKeepsTheFullName() throws Exception {
        String name = "é".repeat(120) + "x".repeat(3) + ".ndjson"; // 250 bytes
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(250);
        Files.writeString(dataDir.inbox().resolve(name), "1");
        Path first = quarantine.put(dataDir.inbox().resolve(name), "r", "run-1").orElseThrow();
        Files.writeString(dataDir.inbox().resolve(name), "2");

        Path second = quarantine.put(dataDir.inbox().resolve(name), "r", "run-1").orElseThrow();

        String shortened = SafeNames.shortened(name, Quarantine.REASON.length());
        assertThat(first.getFileName().toString()).isEqualTo(shortened).endsWith("~" + SafeNames.hash(name));
        assertThat(second.getFileName().toString()).startsWith(shortened.substring(0, 100)).endsWith(".1");
        for (Path entry : new Path[] { first, second }) {
            Path reason = entry.resolveSibling(entry.getFileName() + Quarantine.REASON);
            assertThat(reason.getFileName().toString().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(255);
            assertThat(Json.MAPPER.readValue(reason.toFile(), Quarantine.Note.class).file()).isEqualTo("inbox/" + name);
        }
        assertThat(first).hasContent("1");
        assertThat(second).hasContent("2");
    }

    @Test
    void vanishedSource_isSkipped() throws Exception {
        assertThat(quarantine.put(dataDir.inbox().resolve("gone.csv"), "r", "run-1")).isEmpty();
        assertThat(quarantine.list()).isEmpty();
    }

    @Test
    void reasonFile_isNotReadableByOthers() throws Exception {
        Path file = Files.writeString(dataDir.inbox().resolve("x.csv"), "x");

        quarantine.put(file, "r", "run-1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.quarantine().resolve("x.csv" + Quarantine.REASON)))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.quarantine())))
                .isEqualTo("rwxr-x---");
    }

    private Quarantine.Note note(String name) throws Exception {
        return Json.MAPPER.readValue(dataDir.quarantine().resolve(name + Quarantine.REASON).toFile(),
                Quarantine.Note.class);
    }
}
