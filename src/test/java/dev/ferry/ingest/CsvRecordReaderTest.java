package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.core.Json;

class CsvRecordReaderTest extends AbstractRecordReaderTest {

    @Override
    String threeRecords() {
        return "\uFEFFid,v\n1,a\n\n2,\"b\"\r\n3,c";
    }

    @Override
    long lineOf(int n) {
        return new long[] { 2, 4, 5 }[n - 1];
    }

    @Override
    String malformedBetweenTwo() {
        return "id,v\n1,a\n9,x,too many\n2,b\n";
    }

    @Override
    int malformedLine() {
        return 3;
    }

    @Override
    String oneRecordOfSize(int padding) {
        return "id,pad\n7," + "x".repeat(padding) + "\n";
    }

    @Override
    String missingKeyThenOne() {
        return "id,v\n,empty key\n2,b\n";
    }

    @Override
    String extension() {
        return "csv";
    }

    @Override
    String recordsWithKeys(String... keys) {
        StringBuilder csv = new StringBuilder("id,v\n");
        for (String key : keys) {
            csv.append('"').append(key.replace("\"", "\"\"")).append("\",x\n");
        }
        return csv.toString();
    }

    @Test
    @Override
    void lineLongerThanMaxBytes_isRejectedWithAnExcerpt_andReadingGoesOn() throws Exception {
        try (RecordReader reader = open("id,pad\n7," + "x".repeat(5000) + "\n8,short\n", 0, 0)) {
            RecordParseException tooLong = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(tooLong.reason()).contains("ferry.record.max-bytes");
            assertThat(tooLong.line()).isEqualTo(2);
            assertThat(reader.read().key()).isEqualTo("8");
        }
    }

    @Test
    @Override
    void nonUtf8Line_isRejected_andReadingGoesOn() throws Exception {
        byte[] content = "id,v\n1,caf\u00e9\n7,ok\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (RecordReader reader = open(content, 0, 0)) {
            RecordParseException notUtf8 = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(notUtf8.reason()).contains("UTF-8");
            assertThat(notUtf8.line()).isEqualTo(2);
            assertThat(reader.read().key()).isEqualTo("7");
        }
    }

    @Test
    void quotedFieldWithLineBreaks_isOneRecord_andTheNextLineNumberIsRight() throws Exception {
        try (RecordReader reader = open("id,text\n1,\"two\nlines, \"\"quoted\"\"\"\n2,after\n", 0, 0)) {
            SourceRecord first = reader.read();
            assertThat(first.record().get("text").asText()).isEqualTo("two\nlines, \"quoted\"");
            SourceRecord second = reader.read();
            assertThat(second.key()).isEqualTo("2");
            assertThat(second.line()).isEqualTo(4);
        }
    }

    @Test
    void quoteStillOpenAtTheEndOfTheFile_isOneRejectOverItsLines() throws Exception {
        ReadToEnd read = readBalanced("id,text\n0,ok\n1,\"never closed\n2,x\n3,y");
        assertThat(read.records()).extracting(SourceRecord::key).containsExactly("0");
        RecordParseException unclosed = read.rejects().get(0);
        assertThat(read.rejects()).hasSize(1);
        assertThat(unclosed.line()).isEqualTo(3);
        assertThat(unclosed.lastLine()).isEqualTo(5);
        assertThat(unclosed.reason()).isEqualTo("a quoted field opened on line 3 never closes: the file ends in it");
        assertThat(unclosed.input()).startsWith("1,\"never closed\n2,x");
    }

    @Test
    void bareQuoteInsideAnUnquotedField_isALiteralCharacter_andSwallowsNoRow() throws Exception {
        try (RecordReader reader = open("id,size\n1,5\" pipe\n2,12\"\n3,plain\n", 0, 0)) {
            List<SourceRecord> records = readAll(reader);
            assertThat(records).extracting(SourceRecord::key).containsExactly("1", "2", "3");
            assertThat(records).extracting(r -> r.record().get("size").asText()).containsExactly("5\" pipe", "12\"", "plain");
            assertThat(records).extracting(SourceRecord::line).containsExactly(2L, 3L, 4L);
        }
    }

    @Test
    void quoteThatNeverCloses_isCutAtMaxBytes_andReadingGoesOnAfterIt() throws Exception {
        String rows = "2,x\n".repeat(100); // lines 3 to 102
        ReadToEnd read = readBalanced("id,v\n1,\"open\n" + rows);
        RecordParseException unclosed = read.rejects().get(0);
        assertThat(read.rejects()).hasSize(1);
        assertThat(unclosed.line()).isEqualTo(2);
        // line 2 is 8 bytes, lines 3 to 50 add 4 each: 200 by the end of line 50, so the limit passes on line 51
        assertThat(unclosed.lastLine()).isEqualTo(51);
        assertThat(unclosed.reason()).isEqualTo("a quoted field opened on line 2 is still open after "
                + "ferry.record.max-bytes (200 bytes): the row is cut at the end of line 51");
        assertThat(unclosed.input()).hasSizeLessThanOrEqualTo(LineReader.EXCERPT_BYTES + 1).startsWith("1,\"open\n2,x\n").endsWith("…");
        assertThat(read.records()).hasSize(51).allSatisfy(r -> assertThat(r.key()).isEqualTo("2"));
        assertThat(read.records().get(0).line()).isEqualTo(52);
    }

    @Test
    void quoteThatNeverCloses_inA50MegabyteFile_allocatesAboutMaxBytes_notTheFile() throws Exception {
        int maxBytes = 1 << 20;
        Path big = folder.resolve("big.csv");
        String blank = " ".repeat(99) + "\n"; // data inside the open quote, blank lines once it is cut
        try (var out = new java.io.BufferedWriter(Files.newBufferedWriter(big), 1 << 20)) {
            out.write("id,v\n1,\"open\n");
            for (int i = 0; i < 500_000; i++) {
                out.write(blank);
            }
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        ReadToEnd read;
        try (RecordReader reader = SourceFormat.CSV.open(big, new ReaderSettings("id", maxBytes, 64, (byte) ','), "claim-1", 0, 0)) {
            read = ReadToEnd.of(reader);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(allocated).as("bytes allocated reading 50 MB").isLessThan(8L * maxBytes);
        RecordParseException unclosed = read.rejects().get(0);
        assertThat(read.rejects()).hasSize(1);
        assertThat(unclosed.line()).isEqualTo(2);
        assertThat(unclosed.lastLine()).isEqualTo(2 + (maxBytes - 8) / 100 + 1); // where the row passed maxBytes
        assertThat(read.skipped()).isEqualTo(1 + 500_000 - (unclosed.lastLine() - 2));
        read.assertBalanced(big, 0);
    }

    @Test
    void textAfterAClosingQuote_isKeptAsItIs() throws Exception {
        ReadToEnd read = readBalanced("id,v\n1,\"ab\"c\n2,\"a\"\"b\"\" x\"\n3,\"x\"y,\n");
        assertThat(read.records()).extracting(r -> r.record().get("v").asText()).containsExactly("abc", "a\"b\" x");
        assertThat(read.rejects()).extracting(RecordParseException::reason)
                .containsExactly("row has 3 fields, the header has 2");
    }

    @Test
    void lineBreaksInAQuotedField_areKeptAsWritten_andCrLfEndsARow() throws Exception {
        ReadToEnd read = readBalanced("id,v\r\n1,\"a\r\nb\nc\r\"\r\n2,\"\"\r\n3,\r\r\n");
        assertThat(read.rejects()).isEmpty();
        assertThat(read.records()).extracting(r -> r.record().get("v").asText())
                .containsExactly("a\r\nb\nc\r", "", "\r");
        assertThat(read.records()).extracting(SourceRecord::line).containsExactly(2L, 5L, 6L);
        assertThat(read.records()).extracting(SourceRecord::lastLine).containsExactly(4L, 5L, 6L);
    }

    @Test
    void quoteAfterTheStartOfAField_andSpacesBeforeAQuote_areLiteral() throws Exception {
        ReadToEnd read = readBalanced("id,v\n1,a \"nick\" b\n2, \"x\"\n3,\"\n");
        assertThat(read.records()).extracting(r -> r.record().get("v").asText())
                .containsExactly("a \"nick\" b", " \"x\"");
        assertThat(read.rejects()).singleElement()
                .satisfies(reject -> assertThat(reject.line()).isEqualTo(4));
    }

    @Test
    void blankLines_areSkippedAndCounted_butARowOfEmptyFieldsIsARow() throws Exception {
        ReadToEnd read = readBalanced("\nid,v\n \t\r\n1,a\n\r\n,\n");
        assertThat(read.skipped()).isEqualTo(4); // line 1, the header, lines 3 and 5
        assertThat(read.records()).extracting(SourceRecord::key).containsExactly("1");
        assertThat(read.rejects()).singleElement().satisfies(reject -> assertThat(reject.line()).isEqualTo(6));
    }

    @ParameterizedTest(name = "delimiter {0}")
    @ValueSource(chars = { ';', '|', '\t' })
    void configuredDelimiter_separatesFields_andCommasBecomeData(char delimiter) throws Exception {
        ReaderSettings settings = new ReaderSettings("id", MAX_BYTES, MAX_KEY_BYTES, (byte) delimiter);
        String d = String.valueOf(delimiter);
        Files.writeString(file(), "id" + d + "v\n1" + d + "a,b\n2" + d + "\"x" + d + "y\"\n3" + d + d + "\n");
        try (RecordReader reader = SourceFormat.CSV.open(file(), settings, "claim-1", 0, 0)) {
            ReadToEnd read = ReadToEnd.of(reader).assertBalanced(file(), 0);
            assertThat(read.records()).extracting(r -> r.record().get("v").asText()).containsExactly("a,b", "x" + d + "y");
            assertThat(read.rejects()).singleElement().satisfies(reject -> assertThat(reject.line()).isEqualTo(4));
        }
    }

    @Test
    void headerWithoutTheKeyColumn_makesTheFileUnreadable() throws Exception {
        UnreadableFileException unreadable = catchThrowableOfType(UnreadableFileException.class,
                () -> open("name,v\n1,a\n", 0, 0));
        assertThat(unreadable.reason()).contains("no column 'id'").contains("ferry.record.key-field");
    }

    @Test
    void headerThatCannotBeRead_makesTheFileUnreadable() throws Exception {
        assertThat(catchThrowableOfType(UnreadableFileException.class, () -> open("id,\"v\n1,a\n", 0, 0)).reason())
                .startsWith("the header row is unusable");
        Files.delete(file());
        assertThat(catchThrowableOfType(UnreadableFileException.class,
                () -> open(new byte[] { 'i', 'd', ',', (byte) 0xC3, '\n' }, 0, 0)).reason()).contains("UTF-8");
    }

    @Test
    void fileWithCarriageReturnLineEnds_makesTheFileUnreadable_insteadOfReadingAsAHeaderWithoutRows()
            throws Exception {
        // classic Mac line ends: to the dialect a lone \r is data, so the whole file would read as one header row
        for (String csv : new String[] { "id,v\r1,a\r2,b\r", "v,id\ra,1\rb,2" }) {
            UnreadableFileException unreadable = catchThrowableOfType(UnreadableFileException.class,
                    () -> open(csv, 0, 0));
            assertThat(unreadable).as(csv).isNotNull();
            assertThat(unreadable.reason()).contains("carriage return").contains("\\n or \\r\\n");
            Files.delete(file());
        }
    }

    @Test
    void duplicateHeaderColumns_rejectEveryRowWithItsRawText() throws Exception {
        try (RecordReader reader = open("id,id\n1,2\n3,4\n", 0, 0)) {
            RecordParseException first = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(first.reason()).contains("repeats column");
            assertThat(first.input()).isEqualTo("1,2");
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).line()).isEqualTo(3);
            assertThat(reader.read()).isNull();
        }
    }

    @Test
    void valuesStayStrings() throws Exception {
        try (RecordReader reader = open("id,n\n007,1.50\n", 0, 0)) {
            assertThat(Json.write(reader.read().record())).isEqualTo("{\"id\":\"007\",\"n\":\"1.50\"}");
        }
    }
}
