package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Properties of the CSV reader over files jqwik generates (and, when one fails, shrinks to a small file, reported as
 * a Java string literal):
 * <ol>
 * <li>files written from known rows (quoted fields holding delimiters, line breaks and {@code ""}, bare quotes in
 * unquoted fields, text after a closing quote, empty fields, unicode up to 4-byte code points, BOM, CRLF/LF, blank
 * lines, wrong field counts, unusable keys) read back exactly those rows, on exactly their lines;</li>
 * <li>any soup of quotes, delimiters, line ends, text and invalid bytes, with a small max-bytes so that quotes that
 * never close get cut, reads as {@link ReferenceCsv} says;</li>
 * <li>every line is accounted for once (header + blank + record lines + reject lines = {@link LineCount});</li>
 * <li>reopening at any checkpoint (the position after a record or reject) yields exactly the rest.</li>
 * </ol>
 * Every run draws new files; after a failure jqwik tries the failing sample first (its database is in target/).
 * More tries, or the seed of a reported failure again:
 * {@code ./mvnw test -Dtest='*RecordReaderProperty*' -Dferry.property.tries=20000} or
 * {@code -Dferry.property.seed=<seed>} ({@link CommandLineTries}: {@code -Djqwik.tries.default} would not do, it does
 * not change a {@code @Property} that names its tries).
 */
@AddLifecycleHook(CommandLineTries.class)
class CsvRecordReaderPropertyTest {

    private static final int MAX_KEY_BYTES = 16;

    @Property(tries = 300)
    void filesWrittenFromKnownRows_readBackExactly_everyLineOnce_andFromEveryCheckpoint(
            @ForAll("modelFiles") ModelFile file) throws Exception {
        ReaderSettings settings = new ReaderSettings("id", 4096, MAX_KEY_BYTES, file.delimiter);

        ReadToEnd read = ReadToEnd.fromStartAndEveryCheckpoint(SourceFormat.CSV, file.content(), settings);

        assertThat(read.inOrder()).hasSameSizeAs(file.expected);
        for (int i = 0; i < file.expected.size(); i++) {
            Expected expected = file.expected.get(i);
            Object item = read.inOrder().get(i);
            if (expected.values() == null) {
                assertThat(item).as("item %d", i).isInstanceOf(RecordParseException.class);
                RecordParseException reject = (RecordParseException) item;
                assertThat(new long[] { reject.line(), reject.lastLine() }).as("reject %d lines", i)
                        .containsExactly(expected.line(), expected.lastLine());
            } else {
                assertThat(item).as("item %d", i).isInstanceOf(SourceRecord.class);
                SourceRecord record = (SourceRecord) item;
                assertThat(new long[] { record.line(), record.lastLine() }).as("record %d lines", i)
                        .containsExactly(expected.line(), expected.lastLine());
                assertThat(record.record()).isEqualTo(Json.MAPPER.valueToTree(expected.values()));
                assertThat(record.key()).isEqualTo(expected.values().get("id"));
            }
        }
    }

    @Property(tries = 300)
    void anyText_readsAsTheReferenceParserSays_everyLineOnce_andFromEveryCheckpoint(@ForAll("soups") Soup soup)
            throws Exception {
        ReaderSettings settings = new ReaderSettings("id", soup.maxBytes, MAX_KEY_BYTES, soup.delimiter);

        ReadToEnd read = ReadToEnd.fromStartAndEveryCheckpoint(SourceFormat.CSV, soup.content, settings);

        ReferenceCsv.Parsed reference = ReferenceCsv.parse(soup.content, soup.delimiter, soup.maxBytes);
        List<ReferenceCsv.Row> rows = reference.rows().subList(1, reference.rows().size()); // after the header
        assertThat(read.skipped()).isEqualTo(reference.blankLines() + 1);
        assertThat(read.inOrder()).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            ReferenceCsv.Row row = rows.get(i);
            Object item = read.inOrder().get(i);
            long[] lines = item instanceof SourceRecord r ? new long[] { r.line(), r.lastLine() }
                    : new long[] { ((RecordParseException) item).line(), ((RecordParseException) item).lastLine() };
            assertThat(lines).as("lines of item %d", i).containsExactly(row.line(), row.lastLine());
            if (usable(row.fields())) {
                assertThat(item).as("item %d", i).isInstanceOf(SourceRecord.class);
                assertThat(((SourceRecord) item).record().get("id").asText()).isEqualTo(row.fields().get(0));
                assertThat(((SourceRecord) item).record().get("v").asText()).isEqualTo(row.fields().get(1));
            } else {
                assertThat(item).as("item %d", i).isInstanceOf(RecordParseException.class);
                if (row.fields() == null) {
                    assertThat(((RecordParseException) item).input()).hasSizeLessThanOrEqualTo(soup.maxBytes + 2);
                }
            }
        }
    }

    /** Whether a row of the soup's {@code id,v} file is a record: two fields and a usable key. */
    private static boolean usable(List<String> fields) {
        return fields != null && fields.size() == 2 && usableKey(fields.get(0));
    }

    /** Not blank, not a dot segment ({@code .}, {@code ..}), not too long. */
    private static boolean usableKey(String key) {
        return !key.isBlank() && !key.equals(".") && !key.equals("..")
                && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
    }

    @Provide
    Arbitrary<ModelFile> modelFiles() {
        Arbitrary<Value> value = Combinators.combine(valueToken().list().ofMaxSize(4), Arbitraries.of(Encoding.class),
                Arbitraries.integers().between(0, 4)).as(Value::new);
        Arbitrary<Row> row = Combinators.combine(blankLines(), value.list().ofMaxSize(5),
                Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)), crlf()).as(Row::new);
        Arbitrary<List<Row>> rows = row.list().ofMaxSize(24).withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(delimiters(), Arbitraries.of(false, true), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(0, 3), blankLines(), crlf(), rows, Arbitraries.of(false, true))
                .as(ModelFile::new);
    }

    @Provide
    Arbitrary<Soup> soups() {
        Arbitrary<SoupToken> token = Arbitraries.frequency(Tuple.of(6, SoupToken.A), Tuple.of(6, SoupToken.BC),
                Tuple.of(6, SoupToken.ONE), Tuple.of(6, SoupToken.SPACE), Tuple.of(6, SoupToken.TAB),
                Tuple.of(12, SoupToken.QUOTE), Tuple.of(6, SoupToken.TWO_QUOTES), Tuple.of(12, SoupToken.DELIMITER),
                Tuple.of(12, SoupToken.LF), Tuple.of(6, SoupToken.CRLF), Tuple.of(6, SoupToken.CR),
                Tuple.of(6, SoupToken.E_ACUTE), Tuple.of(6, SoupToken.EMOJI), Tuple.of(6, SoupToken.LONG),
                Tuple.of(2, SoupToken.INVALID_BYTE));
        Arbitrary<List<SoupToken>> tokens = token.list().ofMaxSize(160)
                .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(delimiters(), Arbitraries.of(false, true),
                Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)), crlf(), tokens,
                Arbitraries.integers().between(16, 63)).as(Soup::new);
    }

    private static Arbitrary<Byte> delimiters() {
        return Arbitraries.of((byte) ',', (byte) ';', (byte) '|', (byte) '\t');
    }

    private static Arbitrary<Boolean> crlf() {
        return Arbitraries.of(false, true);
    }

    private static Arbitrary<List<BlankLine>> blankLines() {
        Arbitrary<BlankLine> blank = Combinators.combine(Arbitraries.of(BlankLine.Kind.class), crlf())
                .as(BlankLine::new);
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(List.of())),
                Tuple.of(1, blank.list().ofMaxSize(3)));
    }

    /** Pieces of a value: the characters CSV treats specially, text, and now and then any Unicode code point. */
    private static Arbitrary<String> valueToken() {
        Arbitrary<String> special = Arbitraries.of("a", "Z", "0", " ", "\"", "\"\"", ",", ";", "|", "\t", "\n", "\r\n",
                "\r", "é", "中", "😀");
        return Arbitraries.frequencyOf(Tuple.of(9, special), Tuple.of(1, CodePoints.any()));
    }

    /** What reading a row of a {@link ModelFile} must give: a record of these values, or (values null) a reject. */
    private record Expected(long line, long lastLine, Map<String, String> values) {
    }

    /** How a value is written: as it is when it can be, quoted, or quoted up to {@code split} tokens then as it is. */
    enum Encoding {
        PLAIN, QUOTED, QUOTED_THEN_TEXT
    }

    private record Value(List<String> tokens, Encoding encoding, int split) {
        static final Value EMPTY = new Value(List.of(), Encoding.PLAIN, 0);

        String text() {
            return String.join("", tokens);
        }
    }

    /** A row: blank lines before it, its values (missing ones empty), one field too many or not, its line end. */
    private record Row(List<BlankLine> blanksBefore, List<Value> values, boolean extraField, boolean crlf) {
    }

    private record BlankLine(Kind kind, boolean crlf) {
        enum Kind {
            EMPTY(""), SPACE(" "), TAB("\t"), SPACES_AND_CR(" \t\r");

            private final String text;

            Kind(String text) {
                this.text = text;
            }

            /** With a tab delimiter a tab makes fields, not a blank line. */
            String text(byte delimiter) {
                return delimiter == '\t' ? text.replace("\t", "") : text;
            }
        }
    }

    /** A CSV file written from rows chosen first, so what it must read back as is known. */
    static final class ModelFile {
        final byte delimiter;
        final List<Expected> expected = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private long line = 1;

        ModelFile(byte delimiter, boolean bom, int columns, int idColumn, List<BlankLine> blanksBeforeHeader,
                boolean headerCrlf, List<Row> rows, boolean lastLineEndDropped) {
            this.delimiter = delimiter;
            if (bom) {
                text.append('\uFEFF');
            }
            List<String> header = new ArrayList<>();
            for (int c = 1; c < columns; c++) {
                header.add("c" + c);
            }
            header.add(idColumn % columns, "id");
            blankLines(blanksBeforeHeader);
            row(header.stream().map(name -> new Value(List.of(name), Encoding.PLAIN, 0)).toList(), columns, headerCrlf);
            for (Row row : rows) {
                blankLines(row.blanksBefore());
                List<Value> values = new ArrayList<>();
                for (int f = 0, fields = columns + (row.extraField() ? 1 : 0); f < fields; f++) {
                    values.add(f < row.values().size() ? row.values().get(f) : Value.EMPTY);
                }
                long first = line;
                row(values, columns, row.crlf());
                expected.add(new Expected(first, line - 1, record(header, values)));
            }
            if (lastLineEndDropped) {
                text.setLength(text.length() - (text.toString().endsWith("\r\n") ? 2 : 1));
            }
        }

        byte[] content() {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** The record the row's values make, or null when the row must be rejected. */
        private static Map<String, String> record(List<String> header, List<Value> values) {
            if (values.size() != header.size()) {
                return null;
            }
            Map<String, String> record = new LinkedHashMap<>();
            for (int f = 0; f < values.size(); f++) {
                record.put(header.get(f), values.get(f).text());
            }
            String key = record.get("id");
            return usableKey(key) ? record : null;
        }

        private void row(List<Value> values, int columns, boolean crlf) {
            for (int f = 0; f < values.size(); f++) {
                if (f > 0) {
                    append(String.valueOf((char) delimiter));
                }
                append(encode(values.get(f), columns == 1 && values.size() == 1));
            }
            append(crlf ? "\r\n" : "\n");
        }

        /** The value as written: quoted when it has to be (or when drawn so), never ambiguous. */
        private String encode(Value value, boolean alone) {
            String text = value.text();
            boolean mustQuote = needsQuotes(text) || text.startsWith("\"") || (alone && text.isBlank());
            if (value.encoding() == Encoding.PLAIN && !mustQuote) {
                return text; // bare quotes inside stay literal
            }
            if (value.encoding() == Encoding.QUOTED_THEN_TEXT) {
                int split = Math.min(value.split(), value.tokens().size());
                String tail = String.join("", value.tokens().subList(split, value.tokens().size()));
                if (!needsQuotes(tail) && !tail.startsWith("\"")) {
                    return quote(String.join("", value.tokens().subList(0, split))) + tail; // kept after the quote
                }
            }
            return quote(text);
        }

        private boolean needsQuotes(String text) {
            return text.indexOf(delimiter) >= 0 || text.contains("\n") || text.contains("\r");
        }

        private static String quote(String value) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }

        private void blankLines(List<BlankLine> blanks) {
            for (BlankLine blank : blanks) {
                append(blank.kind().text(delimiter) + (blank.crlf() ? "\r\n" : "\n"));
            }
        }

        private void append(String piece) {
            text.append(piece);
            line += piece.chars().filter(c -> c == '\n').count();
        }

        @Override
        public String toString() {
            return "delimiter " + JavaLiteral.of(new byte[] { delimiter }) + ", file " + JavaLiteral.of(content());
        }
    }

    /** A piece of the soup: {@link #DELIMITER} is the file's, {@link #INVALID_BYTE} is never valid in UTF-8. */
    enum SoupToken {
        A("a"), BC("bc"), ONE("1"), SPACE(" "), TAB("\t"), QUOTE("\""), TWO_QUOTES("\"\""), DELIMITER(""), LF("\n"),
        CRLF("\r\n"), CR("\r"), E_ACUTE("é"), EMOJI("😀"), LONG("x".repeat(34)), INVALID_BYTE("");

        private final byte[] bytes;

        SoupToken(String text) {
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
        }

        byte[] bytes(byte delimiter) {
            return switch (this) {
                case DELIMITER -> new byte[] { delimiter };
                case INVALID_BYTE -> new byte[] { (byte) 0xFF };
                default -> bytes;
            };
        }
    }

    /** A header {@code id<delimiter>v}, then a soup of tokens, read with a small max-bytes. */
    static final class Soup {
        final byte delimiter;
        final int maxBytes;
        final byte[] content;

        Soup(byte delimiter, boolean bom, boolean blankFirstLine, boolean headerCrlf, List<SoupToken> tokens,
                int maxBytes) {
            this.delimiter = delimiter;
            this.maxBytes = maxBytes;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (bom) {
                out.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
            }
            if (blankFirstLine) {
                out.writeBytes(" \r\n".getBytes(StandardCharsets.UTF_8));
            }
            String header = "id" + (char) delimiter + "v" + (headerCrlf ? "\r\n" : "\n");
            out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
            for (SoupToken token : tokens) {
                out.writeBytes(token.bytes(delimiter));
            }
            this.content = out.toByteArray();
        }

        @Override
        public String toString() {
            return "delimiter " + JavaLiteral.of(new byte[] { delimiter }) + ", max-bytes " + maxBytes + ", file "
                    + JavaLiteral.of(content);
        }
    }
}
