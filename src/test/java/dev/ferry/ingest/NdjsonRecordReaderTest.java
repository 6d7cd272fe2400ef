package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.core.Json;

class NdjsonRecordReaderTest extends AbstractRecordReaderTest {

    @Override
    String threeRecords() {
        return "{\"id\":1,\"v\":\"a\"}\n\n{\"id\":\"2\",\"v\":\"b\"}\r\n{\"v\":\"c\",\"id\":3}";
    }

    @Override
    long lineOf(int n) {
        return new long[] { 1, 3, 4 }[n - 1];
    }

    @Override
    String malformedBetweenTwo() {
        return "{\"id\":1}\n{\"id\":2,\n{\"id\":2}\n";
    }

    @Override
    int malformedLine() {
        return 2;
    }

    @Override
    String oneRecordOfSize(int padding) {
        return "{\"id\":7,\"pad\":\"" + "x".repeat(padding) + "\"}\n";
    }

    @Override
    String missingKeyThenOne() {
        return "{\"name\":\"no key\"}\n{\"id\":2}\n";
    }

    @Override
    String extension() {
        return "ndjson";
    }

    @Override
    String recordsWithKeys(String... keys) {
        StringBuilder ndjson = new StringBuilder();
        for (String key : keys) {
            ndjson.append(Json.write(Json.MAPPER.createObjectNode().put("id", key).put("v", "x"))).append('\n');
        }
        return ndjson.toString();
    }

    @Test
    void byteOrderMark_isDropped_andTheFirstRecordIsRead() throws Exception {
        try (RecordReader reader = open("\uFEFF{\"id\":1}\n{\"id\":2}\n", 0, 0)) {
            assertThat(readAll(reader)).extracting(SourceRecord::key).containsExactly("1", "2");
        }
    }

    @Test
    void jsonThatIsNotAnObject_isRejected() throws Exception {
        try (RecordReader reader = open("[1,2]\n{\"id\":1}\n", 0, 0)) {
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).reason())
                    .isEqualTo("not a JSON object");
            assertThat(reader.read().key()).isEqualTo("1");
        }
    }

    @Test
    void twoObjectsOnOneLine_areRejected() throws Exception {
        try (RecordReader reader = open("{\"id\":1}{\"id\":2}\n", 0, 0)) {
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).reason()).contains("malformed");
        }
    }

    @Test
    void objectWithARepeatedFieldName_isRejected_insteadOfKeepingOnlyTheLastValue() throws Exception {
        try (RecordReader reader = open("{\"id\":\"a\",\"id\":\"b\"}\n{\"id\":\"c\",\"x\":{\"v\":1,\"v\":2}}\n"
                + "{\"id\":\"d\"}\n", 0, 0)) {
            RecordParseException key = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(key.reason()).contains("malformed").contains("Duplicate field 'id'");
            assertThat(key.input()).isEqualTo("{\"id\":\"a\",\"id\":\"b\"}");
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).reason())
                    .contains("Duplicate field 'v'");
            assertThat(reader.read().key()).isEqualTo("d");
        }
    }

    @Test
    void keyWithALoneSurrogate_isRejected_insteadOfSharingTheUrlOfAnotherKey() throws Exception {
        // \ud800, \udc00 and ? would all be sent to .../%3F: UTF-8 has no bytes for half a character
        try (RecordReader reader = open("{\"id\":\"\\ud800\"}\n{\"id\":\"a\\udc00\"}\n{\"id\":\"?\"}\n", 0, 0)) {
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).reason())
                    .isEqualTo("no usable key: the key holds half a character (a lone UTF-16 surrogate, \\uD800)");
            assertThat(catchThrowableOfType(RecordParseException.class, reader::read).reason()).contains("\\uDC00");
            assertThat(reader.read().key()).isEqualTo("?");
        }
    }

    @Test
    void valuesThatDifferOnlyInALoneSurrogate_hashApart_andTheBodyCarriesEachAsWritten() throws Exception {
        // the key must be usable; a value may hold half a character: JSON can escape it, and the body does
        try (RecordReader reader = open("{\"id\":\"a\",\"v\":\"\\ud800\"}\n{\"id\":\"a\",\"v\":\"\\udc00\"}\n"
                + "{\"id\":\"a\",\"v\":\"?\"}\n", 0, 0)) {
            SourceRecord high = reader.read();
            SourceRecord low = reader.read();
            SourceRecord question = reader.read();

            assertThat(List.of(high.contentHash(), low.contentHash(), question.contentHash()))
                    .extracting(HexFormat.of()::formatHex).doesNotHaveDuplicates();
            assertThat(new String(Json.bytes(high.record()), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":\"a\",\"v\":\"\\uD800\"}");
            assertThat(new String(Json.bytes(low.record()), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":\"a\",\"v\":\"\\uDC00\"}");
        }
    }

    @Test
    void numbers_keepTheirExactText() throws Exception {
        try (RecordReader reader = open("{\"id\":1,\"price\":1.10,\"big\":12345678901234567890}\n", 0, 0)) {
            assertThat(Json.write(reader.read().record())).isEqualTo("{\"id\":1,\"price\":1.10,\"big\":12345678901234567890}");
        }
    }
}
