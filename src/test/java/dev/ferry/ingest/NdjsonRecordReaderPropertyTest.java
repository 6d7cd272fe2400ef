package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.Json;

/**
 * Properties of the NDJSON reader over generated files of records (unicode, escapes, keys blank or too long),
 * blank lines, malformed and non-object lines, lines over max-bytes, invalid UTF-8, BOM, CRLF/LF and a last line
 * without its line end: each line reads as what it was written as, every line is accounted for once, and
 * reopening at a checkpoint yields exactly the rest.
 */
class NdjsonRecordReaderPropertyTest {

    private static final int MAX_BYTES = 120;
    private static final int MAX_KEY_BYTES = 16;
    private static final String[] TEXT = { "a", "Z", "0", " ", "\"", "\\", "\n", "\t", "é", "中", "😀", "/", "." };

    @TempDir
    Path folder;

    static Stream<Long> seeds() {
        return PropertySeeds.seeds(250);
    }

    /** A line as written, and what reading it must give: a record of this content, a reject, or nothing (blank). */
    private record Written(long line, ObjectNode record, boolean blank) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void eachLineReadsAsWritten_everyLineOnce_andFromACheckpoint(long seed) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean bom = random.nextInt(3) == 0;
        if (bom) {
            out.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
        }
        List<Written> written = new ArrayList<>();
        boolean lastLineEmpty = false;
        for (int n = 1, lines = random.nextInt(30); n <= lines; n++) {
            int start = out.size();
            written.add(line(random, n, out));
            lastLineEmpty = out.size() == start;
            out.writeBytes((random.nextBoolean() ? "\n" : "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!written.isEmpty() && !lastLineEmpty && random.nextBoolean()) { // the last line without its line end
            byte[] bytes = out.toByteArray();
            out.reset();
            out.write(bytes, 0, bytes.length - (bytes[bytes.length - 2] == '\r' ? 2 : 1));
        }
        byte[] content = out.toByteArray();
        Path file = folder.resolve("generated.ndjson");
        Files.write(file, content);
        ReaderSettings settings = new ReaderSettings("id", MAX_BYTES, MAX_KEY_BYTES, (byte) ',');
        PropertySeeds.check(content, () -> {
            ReadToEnd read;
            try (RecordReader reader = SourceFormat.NDJSON.open(file, settings, "claim-1", 0, 0)) {
                read = ReadToEnd.of(reader).assertBalanced(file, 0);
            }
            List<Written> items = written.stream().filter(w -> !w.blank()).toList();
            boolean onlyBom = bom && written.isEmpty(); // a line holding nothing but the BOM: blank
            assertThat(read.skipped()).isEqualTo(written.size() - items.size() + (onlyBom ? 1 : 0));
            if (items.isEmpty()) {
                assertThat(read.rejects()).singleElement()
                        .satisfies(empty -> assertThat(empty.reason()).isEqualTo("file is empty"));
                return;
            }
            assertThat(read.inOrder()).hasSameSizeAs(items);
            for (int i = 0; i < items.size(); i++) {
                Written expected = items.get(i);
                Object item = read.inOrder().get(i);
                if (expected.record() == null) {
                    assertThat(item).as("line %d", expected.line()).isInstanceOf(RecordParseException.class);
                    assertThat(((RecordParseException) item).line()).isEqualTo(expected.line());
                    assertThat(((RecordParseException) item).lastLine()).isEqualTo(expected.line());
                } else {
                    assertThat(item).as("line %d", expected.line()).isInstanceOf(SourceRecord.class);
                    SourceRecord record = (SourceRecord) item;
                    assertThat(record.line()).isEqualTo(expected.line());
                    assertThat(record.lastLine()).isEqualTo(expected.line());
                    assertThat(record.record()).isEqualTo(expected.record());
                    assertThat(record.key()).isEqualTo(expected.record().get("id").asText());
                }
            }
            int at = random.nextInt(read.checkpoints().size());
            ReadToEnd.Checkpoint checkpoint = read.checkpoints().get(at);
            try (RecordReader resumed = SourceFormat.NDJSON.open(file, settings, "claim-1", checkpoint.offset(), checkpoint.line())) {
                ReadToEnd rest = ReadToEnd.of(resumed).assertBalanced(file, checkpoint.offset());
                assertThat(rest.inOrder()).extracting(Object::toString)
                        .containsExactlyElementsOf(read.inOrder().subList(at + 1, read.inOrder().size()).stream()
                                .map(Object::toString).toList());
            }
        });
    }

    /** Writes line {@code n} (without its line end) and says what it must read as. */
    private static Written line(Random random, int n, ByteArrayOutputStream out) {
        switch (random.nextInt(12)) {
            case 0 -> {
                String[] blanks = { "", " ", "\t", " \r", "\t \t" };
                out.writeBytes(blanks[random.nextInt(blanks.length)].getBytes(StandardCharsets.UTF_8));
                return new Written(n, null, true);
            }
            case 1 -> {
                String[] malformed = { "{", "[1,2]", "\"text\"", "{\"id\":1}{\"id\":2}", "id=1", "null", "{\"id\":1,}" };
                out.writeBytes(malformed[random.nextInt(malformed.length)].getBytes(StandardCharsets.UTF_8));
                return new Written(n, null, false);
            }
            case 2 -> {
                out.writeBytes(("{\"id\":\"" + "x".repeat(MAX_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8));
                return new Written(n, null, false);
            }
            case 3 -> {
                out.writeBytes(new byte[] { '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}' });
                return new Written(n, null, false);
            }
            default -> {
                ObjectNode record = Json.MAPPER.createObjectNode();
                if (random.nextInt(4) == 0) {
                    record.put("id", random.nextInt(1000));
                } else {
                    record.put("id", text(random, 12));
                }
                record.put("v", text(random, 6));
                byte[] json = Json.write(record).getBytes(StandardCharsets.UTF_8);
                if (random.nextBoolean()) {
                    out.writeBytes(" ".getBytes(StandardCharsets.UTF_8)); // white space around the object is fine
                }
                out.writeBytes(json);
                String key = record.get("id").asText();
                boolean usable = !key.isBlank() && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES
                        && json.length + 1 <= MAX_BYTES;
                return new Written(n, usable ? record : null, false);
            }
        }
    }

    private static String text(Random random, int maxTokens) {
        StringBuilder text = new StringBuilder();
        for (int t = 0, tokens = random.nextInt(maxTokens); t < tokens; t++) {
            text.append(TEXT[random.nextInt(TEXT.length)]);
        }
        return text.toString();
    }
}
