package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ferry.core.Json;

/**
 * Properties of the CSV reader over generated files:
 * <ol>
 * <li>files written from known rows (quoted fields holding delimiters, line breaks and {@code ""}, bare quotes in
 * unquoted fields, text after a closing quote, empty fields, unicode, BOM, CRLF/LF, blank lines, wrong field
 * counts, unusable keys) read back exactly those rows, on exactly their lines;</li>
 * <li>any soup of quotes, delimiters, line ends, text and invalid bytes, with a small max-bytes so that quotes
 * that never close get cut, reads as {@link ReferenceCsv} says;</li>
 * <li>every line is accounted for once (header + blank + record lines + reject lines = {@link LineCount});</li>
 * <li>reopening at a checkpoint (the position after any record or reject) yields exactly the rest.</li>
 * </ol>
 */
class CsvRecordReaderPropertyTest {

    private static final byte[] DELIMITERS = { ',', ';', '|', '\t' };
    private static final int MAX_KEY_BYTES = 16;

    @TempDir
    Path folder;

    static Stream<Long> seeds() {
        return PropertySeeds.seeds(250);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void filesWrittenFromKnownRows_readBackExactly_everyLineOnce_andFromAnyCheckpoint(long seed) throws Exception {
        Random random = new Random(seed);
        byte delimiter = DELIMITERS[random.nextInt(DELIMITERS.length)];
        ModelFile model = new ModelFile(random, delimiter);
        byte[] content = model.content();
        ReaderSettings settings = new ReaderSettings("id", 4096, MAX_KEY_BYTES, delimiter);
        PropertySeeds.check(content, () -> {
            ReadToEnd read = readAndResume(content, settings, random);
            assertThat(read.inOrder()).hasSameSizeAs(model.expected);
            for (int i = 0; i < model.expected.size(); i++) {
                Expected expected = model.expected.get(i);
                Object item = read.inOrder().get(i);
                if (expected.values == null) {
                    assertThat(item).as("item %d", i).isInstanceOf(RecordParseException.class);
                    RecordParseException reject = (RecordParseException) item;
                    assertThat(new long[] { reject.line(), reject.lastLine() }).as("reject %d lines", i)
                            .containsExactly(expected.line, expected.lastLine);
                } else {
                    assertThat(item).as("item %d", i).isInstanceOf(SourceRecord.class);
                    SourceRecord record = (SourceRecord) item;
                    assertThat(new long[] { record.line(), record.lastLine() }).as("record %d lines", i)
                            .containsExactly(expected.line, expected.lastLine);
                    assertThat(record.record()).isEqualTo(Json.MAPPER.valueToTree(expected.values));
                    assertThat(record.key()).isEqualTo(expected.values.get("id"));
                }
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyText_readsAsTheReferenceParserSays_everyLineOnce_andFromAnyCheckpoint(long seed) throws Exception {
        Random random = new Random(seed);
        byte delimiter = DELIMITERS[random.nextInt(DELIMITERS.length)];
        int maxBytes = 16 + random.nextInt(48);
        byte[] content = soup(random, delimiter);
        ReaderSettings settings = new ReaderSettings("id", maxBytes, MAX_KEY_BYTES, delimiter);
        PropertySeeds.check(content, () -> {
            ReadToEnd read = readAndResume(content, settings, random);
            ReferenceCsv.Parsed reference = ReferenceCsv.parse(content, delimiter, maxBytes);
            List<ReferenceCsv.Row> rows = reference.rows().subList(1, reference.rows().size()); // after the header
            assertThat(read.skipped()).isEqualTo(reference.blankLines() + 1);
            assertThat(read.inOrder()).hasSameSizeAs(rows);
            for (int i = 0; i < rows.size(); i++) {
                ReferenceCsv.Row row = rows.get(i);
                Object item = read.inOrder().get(i);
                long[] lines = item instanceof SourceRecord r ? new long[] { r.line(), r.lastLine() }
                        : new long[] { ((RecordParseException) item).line(), ((RecordParseException) item).lastLine() };
                assertThat(lines).as("lines of item %d", i).containsExactly(row.line(), row.lastLine());
                boolean usable = row.fields() != null && row.fields().size() == 2 && !row.fields().get(0).isBlank()
                        && row.fields().get(0).getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
                if (usable) {
                    assertThat(item).as("item %d", i).isInstanceOf(SourceRecord.class);
                    assertThat(((SourceRecord) item).record().get("id").asText()).isEqualTo(row.fields().get(0));
                    assertThat(((SourceRecord) item).record().get("v").asText()).isEqualTo(row.fields().get(1));
                } else {
                    assertThat(item).as("item %d", i).isInstanceOf(RecordParseException.class);
                    if (row.fields() == null) {
                        assertThat(((RecordParseException) item).input()).hasSizeLessThanOrEqualTo(maxBytes + 2);
                    }
                }
            }
        });
    }

    /**
     * Reads the whole file and checks the accounting, then resumes at checkpoints and checks the rest: at three
     * drawn at random each try (all of them each try would make the tries quadratic in the file's rows).
     */
    private ReadToEnd readAndResume(byte[] content, ReaderSettings settings, Random random) throws Exception {
        Path file = folder.resolve("generated.csv");
        Files.write(file, content);
        ReadToEnd whole;
        try (RecordReader reader = SourceFormat.CSV.open(file, settings, "claim-1", 0, 0)) {
            whole = ReadToEnd.of(reader).assertBalanced(file, 0);
        }
        for (int draw = 0; draw < 3 && !whole.checkpoints().isEmpty(); draw++) {
            int i = random.nextInt(whole.checkpoints().size());
            ReadToEnd.Checkpoint checkpoint = whole.checkpoints().get(i);
            try (RecordReader resumed = SourceFormat.CSV.open(file, settings, "claim-1", checkpoint.offset(), checkpoint.line())) {
                ReadToEnd rest = ReadToEnd.of(resumed).assertBalanced(file, checkpoint.offset());
                assertThat(describe(rest.inOrder())).as("resumed after item %d", i)
                        .isEqualTo(describe(whole.inOrder().subList(i + 1, whole.inOrder().size())));
            }
        }
        return whole;
    }

    private static List<String> describe(List<Object> items) {
        List<String> described = new ArrayList<>();
        for (Object item : items) {
            described.add(item instanceof SourceRecord r
                    ? "record " + r.line() + "-" + r.lastLine() + "@" + r.offset() + " " + Json.write(r.record())
                    : "reject " + item + "@" + ((RecordParseException) item).offset());
        }
        return described;
    }

    /** What reading a row of a {@link ModelFile} must give: a record of these values, or (values null) a reject. */
    private record Expected(long line, long lastLine, Map<String, String> values) {
    }

    /** A CSV file written from rows chosen first, so what it must read back as is known. */
    private static final class ModelFile {
        private static final String[] TOKENS = { "a", "Z", "0", " ", "\"", "\"\"", ",", ";", "|", "\t", "\n", "\r\n",
                "\r", "é", "中", "😀", "" };

        final List<Expected> expected = new ArrayList<>();
        private final Random random;
        private final byte delimiter;
        private final StringBuilder text = new StringBuilder();
        private long line = 1;

        ModelFile(Random random, byte delimiter) {
            this.random = random;
            this.delimiter = delimiter;
            if (random.nextInt(3) == 0) {
                text.append('\uFEFF');
            }
            List<String> header = new ArrayList<>(List.of("id"));
            for (int c = 1, columns = 1 + random.nextInt(4); c < columns; c++) {
                header.add("c" + c);
            }
            Collections.shuffle(header, random);
            blankLines();
            row(header, header.size());
            for (int r = 0, rows = random.nextInt(25); r < rows; r++) {
                blankLines();
                List<String> values = new ArrayList<>();
                int fields = random.nextInt(10) == 0 ? header.size() + 1 : header.size();
                for (int f = 0; f < fields; f++) {
                    values.add(value());
                }
                long first = line;
                row(values, header.size());
                Map<String, String> record = null;
                if (fields == header.size()) {
                    record = new LinkedHashMap<>();
                    for (int f = 0; f < fields; f++) {
                        record.put(header.get(f), values.get(f));
                    }
                    String key = record.get("id");
                    if (key.isBlank() || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
                        record = null;
                    }
                }
                expected.add(new Expected(first, line - 1, record));
            }
            if (text.length() > 0 && random.nextBoolean()) { // the last line without its line end
                text.setLength(text.length() - (text.toString().endsWith("\r\n") ? 2 : 1));
            }
        }

        byte[] content() {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        private String value() {
            StringBuilder value = new StringBuilder();
            for (int t = 0, tokens = random.nextInt(5); t < tokens; t++) {
                value.append(TOKENS[random.nextInt(TOKENS.length)]);
            }
            return value.toString();
        }

        private void row(List<String> values, int columns) {
            for (int f = 0; f < values.size(); f++) {
                if (f > 0) {
                    append(String.valueOf((char) delimiter));
                }
                append(encode(values.get(f), columns == 1 && values.size() == 1));
            }
            lineEnd();
        }

        private String encode(String value, boolean alone) {
            boolean mustQuote = value.indexOf(delimiter) >= 0 || value.contains("\n") || value.contains("\r")
                    || value.startsWith("\"") || (alone && value.isBlank());
            if (!mustQuote && random.nextInt(3) > 0) {
                return value; // bare quotes inside stay literal
            }
            int split = random.nextInt(value.length() + 1);
            if (split > 0 && split < value.length() && Character.isLowSurrogate(value.charAt(split))) {
                split--; // never between the two halves of an emoji
            }
            String tail = value.substring(split);
            if (split > 0 && random.nextInt(4) == 0 && tail.indexOf(delimiter) < 0 && !tail.contains("\n")
                    && !tail.contains("\r") && !tail.startsWith("\"")) {
                return quote(value.substring(0, split)) + tail; // text after the closing quote is kept
            }
            return quote(value);
        }

        private static String quote(String value) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }

        private void blankLines() {
            while (random.nextInt(5) == 0) {
                String[] blanks = delimiter == '\t' ? new String[] { "", " ", " \r" }
                        : new String[] { "", " ", "\t", " \t\r" };
                append(blanks[random.nextInt(blanks.length)]);
                lineEnd();
            }
        }

        private void lineEnd() {
            append(random.nextBoolean() ? "\n" : "\r\n");
        }

        private void append(String piece) {
            text.append(piece);
            line += piece.chars().filter(c -> c == '\n').count();
        }
    }

    /** A header, then a soup of quotes, delimiters, line ends, text, long runs and invalid bytes. */
    private static byte[] soup(Random random, byte delimiter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(3) == 0) {
            out.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
        }
        if (random.nextInt(4) == 0) {
            out.writeBytes(" \r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("id" + (char) delimiter + "v" + (random.nextBoolean() ? "\n" : "\r\n"))
                .getBytes(StandardCharsets.UTF_8));
        String[] tokens = { "\"", "\"", "\"\"", String.valueOf((char) delimiter), String.valueOf((char) delimiter), "a",
                "bc", "1", " ", "\t", "\n", "\n", "\r\n", "\r", "é", "😀", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
        for (int t = 0, count = random.nextInt(160); t < count; t++) {
            if (random.nextInt(60) == 0) {
                out.write(0xFF); // never valid in UTF-8
            } else {
                out.writeBytes(tokens[random.nextInt(tokens.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
