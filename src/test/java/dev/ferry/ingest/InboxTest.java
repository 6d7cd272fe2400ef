package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestData;

/**
 * The inbox looked at with lstat: regular files settle and are taken in name order; anything else is reported
 * for quarantine and never opened.
 */
class InboxTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path inbox;
    @TempDir
    Path outside;

    private Inbox folder() {
        return new Inbox(inbox, Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void entriesThatAreNotRegularFiles_areReportedForQuarantine_withWhatTheyAre() throws Exception {
        file("a.csv", NOW.minusSeconds(60));
        Files.createSymbolicLink(inbox.resolve("b.ndjson"), file(outside, "target.ndjson", NOW.minusSeconds(60)));
        TestData.mkfifo(inbox.resolve("c.csv"));
        Files.createDirectory(inbox.resolve("d.jsonl"));
        file("e.txt", NOW.minusSeconds(60));
        file(".hidden.csv", NOW.minusSeconds(60));

        assertThat(folder().entries()).extracting(Inbox.Entry::name, Inbox.Entry::kind, Inbox.Entry::type)
                .containsExactly(
                        tuple("a.csv", Inbox.Kind.READY, "a regular file"),
                        tuple("b.ndjson", Inbox.Kind.NOT_A_REGULAR_FILE, "a symbolic link"),
                        tuple("c.csv", Inbox.Kind.NOT_A_REGULAR_FILE,
                                "a FIFO, socket or device"),
                        tuple("d.jsonl", Inbox.Kind.NOT_A_REGULAR_FILE, "a directory"));
        assertThat(folder().ready()).containsExactly(inbox.resolve("a.csv"));
    }

    @Test
    void next_isTheFirstByName_evenWhenItIsStillBeingWritten() throws Exception {
        file("a.csv", NOW.minusSeconds(2)); // changed within the 5 s settle time
        file("b.csv", NOW.minusSeconds(60));

        assertThat(folder().next()).get().extracting(Inbox.Entry::name, Inbox.Entry::kind)
                .containsExactly("a.csv", Inbox.Kind.NOT_SETTLED);
        assertThat(folder().ready()).containsExactly(inbox.resolve("b.csv"));
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void open_refusesALinkAFifoAndADirectory_withoutBlocking_andOpensARegularFile() throws Exception {
        Path regular = file("a.csv", NOW);
        Path link = Files.createSymbolicLink(inbox.resolve("link.csv"), regular);
        Path fifo = TestData.mkfifo(inbox.resolve("pipe.csv"));
        Path directory = Files.createDirectory(inbox.resolve("dir.csv"));

        for (Path refused : new Path[] { link, fifo, directory }) {
            assertThatThrownBy(() -> RegularFiles.open(refused).close())
                    .isInstanceOf(RegularFiles.NotRegularFileException.class)
                    .hasMessageContaining("not a regular file");
        }
        try (FileChannel channel = RegularFiles.open(regular)) {
            assertThat(channel.size()).isEqualTo(2);
        }
    }

    private Path file(String name, Instant modified) throws Exception {
        return file(inbox, name, modified);
    }

    private static Path file(Path folder, String name, Instant modified) throws Exception {
        Path file = Files.writeString(folder.resolve(name), "x\n");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
