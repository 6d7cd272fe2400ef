package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of both readers (Jazzer) on whatever bytes the fuzzer makes up, read as a CSV or an NDJSON
 * file (the input's last byte picks which, the bytes before it the settings): reading ends without an exception other
 * than the declared ones (a reject per bad row; {@link UnreadableFileException} for a CSV header without the key
 * column), every line is accounted for once, no record or reject holds more than max-bytes (an excerpt's ellipsis
 * aside), and resuming at a checkpoint yields the rest.
 * <p>
 * One target for both readers because Jazzer fuzzes one test per JVM and its agent costs about 15 s of CPU to start:
 * a plain test run leaves this class out (its agent would instrument every class loaded after it); {@code ./mvnw
 * verify} fuzzes it for {@code jazzer.max_duration} in a JVM of its own (the {@code fuzz} execution in pom.xml),
 * after replaying the seeds and past findings in
 * {@code src/test/resources/dev/ferry/ingest/RecordReaderFuzzTestInputs/}. Replay only:
 * {@code ./mvnw test -Dtest=RecordReaderFuzzTest}; fuzz longer:
 * {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=RecordReaderFuzzTest -Djazzer.max_duration=10m}. A finding is written to that
 * inputs directory, so every later run replays it.
 */
class RecordReaderFuzzTest {

    private static final byte[] DELIMITERS = { ',', ';', '|', '\t' };
    private static Path folder;

    @BeforeAll
    static void createFolder() throws IOException {
        folder = Files.createTempDirectory("ferry-fuzz");
    }

    @AfterAll
    static void deleteFolder() throws IOException {
        for (SourceFormat format : SourceFormat.values()) {
            Files.deleteIfExists(folder.resolve("input." + format.name().toLowerCase()));
        }
        Files.deleteIfExists(folder);
    }

    @FuzzTest(maxDuration = "30s")
    void anyBytes_endInRecordsOrRejects_everyLineOnce_withinMaxBytes(FuzzedDataProvider data) throws IOException {
        SourceFormat format = data.consumeBoolean() ? SourceFormat.CSV : SourceFormat.NDJSON;
        ReaderSettings settings = new ReaderSettings("id", data.consumeInt(16, 300), data.consumeInt(1, 32),
                DELIMITERS[data.consumeInt(0, DELIMITERS.length - 1)]);
        Path file = folder.resolve("input." + format.name().toLowerCase());
        Files.write(file, data.consumeRemainingAsBytes());
        ReadToEnd read;
        try (RecordReader reader = format.open(file, settings, "claim-1", 0, 0)) {
            read = ReadToEnd.of(reader).assertBalanced(file, 0);
        } catch (UnreadableFileException wholeFile) {
            assertThat(format).isEqualTo(SourceFormat.CSV); // only a CSV header can lack the key column
            return;
        }
        int bound = Math.max(settings.maxBytes(), LineReader.EXCERPT_BYTES) + 1;
        for (RecordParseException reject : read.rejects()) {
            assertThat(reject.input().length()).as("reject input").isLessThanOrEqualTo(bound);
        }
        for (SourceRecord record : read.records()) {
            long bytes = 0;
            for (var field : record.record().properties()) {
                bytes += field.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
            }
            assertThat(bytes).as("record bytes").isLessThanOrEqualTo(settings.maxBytes());
        }
        // a 0-byte file's one reject ("file is empty") leaves the position at 0: there is no "after" to resume at
        if (!read.checkpoints().isEmpty() && Files.size(file) > 0) {
            int at = read.checkpoints().size() / 2;
            ReadToEnd.Checkpoint checkpoint = read.checkpoints().get(at);
            try (RecordReader resumed = format.open(file, settings, "claim-1", checkpoint.offset(), checkpoint.line())) {
                ReadToEnd rest = ReadToEnd.of(resumed).assertBalanced(file, checkpoint.offset());
                assertThat(rest.inOrder()).hasSize(read.inOrder().size() - at - 1);
            } catch (UnreadableFileException e) {
                throw new AssertionError("readable from the start, unreadable from a checkpoint", e);
            }
        }
    }
}
