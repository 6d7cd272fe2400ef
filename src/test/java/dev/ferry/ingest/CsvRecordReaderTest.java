package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;
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
    void unterminatedQuote_isRejected() throws Exception {
        try (RecordReader reader = open("id,text\n1,\"never closed\n2,x\n", 0, 0)) {
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).reason())
                    .isEqualTo("unterminated quoted field");
        }
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
        String rows = "2,x\n".repeat(100); // 400 bytes: the open quote passes MAX_BYTES (200) on line 51
        try (RecordReader reader = open("id,v\n1,\"open\n" + rows, 0, 0)) {
            RecordParseException unclosed = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(unclosed.line()).isEqualTo(2);
            assertThat(unclosed.reason()).contains("ferry.record.max-bytes");
            assertThat(unclosed.input().length()).isLessThan(MAX_BYTES);
            List<SourceRecord> after = readAll(reader);
            assertThat(after).isNotEmpty().allSatisfy(r -> assertThat(r.key()).isEqualTo("2"));
            assertThat(after.get(0).line()).isGreaterThan(2 + MAX_BYTES / 4 - 1);
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
