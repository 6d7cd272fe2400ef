package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.core.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Properties of the NDJSON reader over files jqwik generates (and, when one fails, shrinks to a small file, reported
 * as a Java string literal) of records (unicode up to 4-byte code points, escapes, keys blank or too long, white space
 * around the object, sizes on both sides of max-bytes), blank lines, malformed and non-object lines, invalid UTF-8,
 * BOM, CRLF/LF and a last line without its line end: each line reads as what it was written as, every line is
 * accounted for once, and reopening at any checkpoint yields exactly the rest.
 * <p>
 * More tries, or the seed of a reported failure again: as for {@link CsvRecordReaderPropertyTest}
 * ({@code -Dferry.property.tries=20000}, {@code -Dferry.property.seed=<seed>}).
 */
@AddLifecycleHook(CommandLineTries.class)
class NdjsonRecordReaderPropertyTest {

    private static final int MAX_BYTES = 120;
    private static final int MAX_KEY_BYTES = 16;

    @Property(tries = 200)
    void eachLineReadsAsWritten_everyLineOnce_andFromEveryCheckpoint(@ForAll("files") NdjsonFile file)
            throws Exception {
        ReaderSettings settings = new ReaderSettings("id", MAX_BYTES, MAX_KEY_BYTES, (byte) ',');

        ReadToEnd read = ReadToEnd.fromStartAndEveryCheckpoint(SourceFormat.NDJSON, file.content, settings);

        long items = file.lines.stream().filter(line -> !line.written().blank()).count();
        boolean onlyBom = file.bom && file.lines.isEmpty(); // a line holding nothing but the BOM: blank
        assertThat(read.skipped()).isEqualTo(file.lines.size() - items + (onlyBom ? 1 : 0));
        if (items == 0) {
            assertThat(read.rejects()).singleElement()
                    .satisfies(empty -> assertThat(empty.reason()).isEqualTo("file is empty"));
            return;
        }
        assertThat(read.inOrder()).hasSize((int) items);
        int i = 0;
        for (int n = 1; n <= file.lines.size(); n++) {
            Written line = file.lines.get(n - 1).written();
            if (line.blank()) {
                continue;
            }
            Object item = read.inOrder().get(i++);
            if (line.record() == null) {
                assertThat(item).as("line %d", n).isInstanceOf(RecordParseException.class);
                assertThat(((RecordParseException) item).line()).isEqualTo(n);
                assertThat(((RecordParseException) item).lastLine()).isEqualTo(n);
            } else {
                assertThat(item).as("line %d", n).isInstanceOf(SourceRecord.class);
                SourceRecord record = (SourceRecord) item;
                assertThat(record.line()).isEqualTo(n);
                assertThat(record.lastLine()).isEqualTo(n);
                assertThat(record.record()).isEqualTo(line.record());
                assertThat(record.key()).isEqualTo(line.record().get("id").asText());
            }
        }
    }

    @Provide
    Arbitrary<NdjsonFile> files() {
        Arbitrary<Written> written = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("", " ", "\t", " \r", "\t \t").map(Written::blankLine)),
                Tuple.of(1, Arbitraries.of("{", "[1,2]", "\"text\"", "{\"id\":1}{\"id\":2}", "id=1", "null",
                        "{\"id\":1,}").map(Written::malformed)),
                Tuple.of(1, Arbitraries.just(new Written(new byte[] { '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3,
                        '"', '}' }, null, false))),
                Tuple.of(8, records()));
        Arbitrary<Line> line = Combinators.combine(written, Arbitraries.of(false, true)).as(Line::new);
        Arbitrary<List<Line>> lines = line.list().ofMaxSize(30).withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(Arbitraries.of(false, true), lines, Arbitraries.of(false, true)).as(NdjsonFile::new);
    }

    /** Objects with an id (a number or text) and a value, padded now and then to about max-bytes. */
    private static Arbitrary<Written> records() {
        Arbitrary<JsonNode> id = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, 999)
                .map(IntNode::valueOf)), Tuple.of(3, text(12).map(TextNode::valueOf)));
        Arbitrary<Integer> padding = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(60, 120)));
        Arbitrary<String> space = Arbitraries.of("", " ", "\t");
        return Combinators.combine(id, text(8), padding, space, space).as((key, value, pad, before, after) -> {
            ObjectNode record = Json.MAPPER.createObjectNode();
            record.set("id", key);
            record.put("v", value + "x".repeat(pad));
            return Written.object(before + Json.write(record) + after, record);
        });
    }

    /** Text of JSON's special characters, letters and now and then any Unicode code point. */
    private static Arbitrary<String> text(int maxTokens) {
        Arbitrary<String> special = Arbitraries.of("a", "Z", "0", " ", "\"", "\\", "\n", "\t", "é", "中", "😀", "/",
                ".");
        return Arbitraries.frequencyOf(Tuple.of(9, special), Tuple.of(1, CodePoints.any())).list().ofMaxSize(maxTokens)
                .map(tokens -> String.join("", tokens));
    }

    /** A line's bytes (without line end) and what it must read as: a record, a reject (record null) or nothing. */
    private record Written(byte[] bytes, ObjectNode record, boolean blank) {
        static Written blankLine(String text) {
            return new Written(text.getBytes(StandardCharsets.UTF_8), null, true);
        }

        static Written malformed(String text) {
            return new Written(text.getBytes(StandardCharsets.UTF_8), null, false);
        }

        /** A record, or a reject when its key is unusable or the line is longer than max-bytes. */
        static Written object(String text, ObjectNode record) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            String key = record.get("id").asText();
            boolean usable = !key.isBlank() && !key.equals(".") && !key.equals("..")
                    && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES
                    && bytes.length <= MAX_BYTES;
            return new Written(bytes, usable ? record : null, false);
        }
    }

    private record Line(Written written, boolean crlf) {
    }

    /** The file the lines make, after an optional BOM; its last line end dropped if drawn so and it has a last line. */
    static final class NdjsonFile {
        final boolean bom;
        final List<Line> lines;
        final byte[] content;

        NdjsonFile(boolean bom, List<Line> lines, boolean lastLineEndDropped) {
            this.bom = bom;
            this.lines = lines;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (bom) {
                out.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
            }
            for (Line line : lines) {
                out.writeBytes(line.written().bytes());
                out.writeBytes(line.crlf() ? new byte[] { '\r', '\n' } : new byte[] { '\n' });
            }
            byte[] bytes = out.toByteArray();
            boolean lastLineHasContent = !lines.isEmpty() && lines.get(lines.size() - 1).written().bytes().length > 0;
            int dropped = lastLineEndDropped && lastLineHasContent ? (lines.get(lines.size() - 1).crlf() ? 2 : 1) : 0;
            this.content = Arrays.copyOf(bytes, bytes.length - dropped);
        }

        @Override
        public String toString() {
            return "file " + JavaLiteral.of(content);
        }
    }
}
