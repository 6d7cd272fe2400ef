package dev.ferry.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.core.Json;

/**
 * Step 1 of shaping: what each type accepts, from CSV text and from NDJSON values, and the JSON it sends. The
 * expected bodies are written out as the API receives them.
 */
class FieldTypeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = { "42|42", "-7|-7", "+5|5", "007|7", "' 12 '|12", "3.0|3", "3.000|3", "1e3|1000",
            "0|0", "-0|0", "123456789012345678901234567890|123456789012345678901234567890", "9223372036854775808|9223372036854775808",
            "-9223372036854775808|-9223372036854775808" })
    void integerCell_isSentAsAnExactWholeNumber_whenItIsOne(String cell, String sent) throws Exception {
        assertThat(sent(FieldType.INTEGER, cell)).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "3.5", "abc", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "1,000", "\u0663", "1e", "--1",
            "1.2.3", "12abc", "1e3.5", "true" })
    void integerCell_isRejected_whenItIsNotAWholeNumber(String cell) {
        ShapeException e = rejected(FieldType.INTEGER, cell);

        assertThat(e.field()).isEqualTo("qty");
        assertThat(e.reason()).isIn("is not an integer", "is not a whole number");
        assertThat(e.getMessage()).startsWith("field 'qty' is not ").endsWith(": " + Json.write(TextNode.valueOf(cell)));
    }

    @Test
    void integerCell_isRejected_whenItHasMoreDigitsThanJsonReadersAccept() {
        assertThat(rejected(FieldType.INTEGER, "1e1000").reason()).isEqualTo("has more than 1000 digits");
        assertThat(rejected(FieldType.INTEGER, "9".repeat(1001)).reason()).isEqualTo("is longer than 1000 characters");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = { "9.50|9.50", "-0.001|-0.001", "+1.5|1.5", "0001.250|1.250", ".5|0.5", "5.|5",
            "42|42", "1e400|1E+400", "1.0E-3|0.0010", "123456789012345678901234567890.123456789|123456789012345678901234567890.123456789" })
    void decimalCell_keepsItsDigitsAndScale(String cell, String sent) throws Exception {
        assertThat(sent(FieldType.DECIMAL, cell)).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "NaN", "Infinity", "0x1A", "1_000.5", "1,5", "e5", "1.5€", "½", "1e99999999999" })
    void decimalCell_isRejected_whenItIsNotAPlainNumber(String cell) {
        assertThat(rejected(FieldType.DECIMAL, cell).getMessage()).startsWith("field 'qty' ");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "true,true", "TRUE,true", "Yes,true", "1,true", "false,false", "No,false", "0,false", "' no ',false" })
    void booleanCell_acceptsTrueFalseOneZeroYesNo_inAnyCase(String cell, String sent) throws Exception {
        assertThat(sent(FieldType.BOOLEAN, cell)).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "y", "2", "on", "wahr", "-1" })
    void booleanCell_isRejected_whenItIsNoneOfTheSix(String cell) {
        assertThat(rejected(FieldType.BOOLEAN, cell).reason()).isEqualTo("is not a boolean (true/false/1/0/yes/no)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "2024-03-01,\"2024-03-01\"", "' 2024-02-29 ',\"2024-02-29\"", "+12024-03-01,\"+12024-03-01\"" })
    void dateCell_isSentAsIsoDate(String cell, String sent) throws Exception {
        assertThat(sent(FieldType.DATE, cell)).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "2024-02-30", "2023-02-29", "2024-3-1", "01.03.2024", "2024-03-01T10:00:00Z", "2024-13-01",
            "2024-0a-01" })
    void dateCell_isRejected_whenItIsNoIsoDate(String cell) {
        assertThat(rejected(FieldType.DATE, cell).reason()).isEqualTo("is not a date (yyyy-MM-dd)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "2024-03-01T10:00Z,\"2024-03-01T10:00:00Z\"", "2024-03-01 10:00:00+02:00,\"2024-03-01T10:00:00+02:00\"",
            "2024-03-01T10:00:00.120+00:00,\"2024-03-01T10:00:00.12Z\"", "2024-03-01t10:00:00z,\"2024-03-01T10:00:00Z\"",
            "2024-03-01T23:59:59.999999999-05:30,\"2024-03-01T23:59:59.999999999-05:30\"" })
    void datetimeCell_isSentInCanonicalIsoForm_withTheOffsetAsWritten(String cell, String sent) throws Exception {
        assertThat(sent(FieldType.DATETIME, cell)).isEqualTo(sent);
    }

    @Test
    void datetimeCell_isRejected_whenItHasNoOffset_orIsNoDatetime() {
        assertThat(rejected(FieldType.DATETIME, "2024-03-01T10:00:00").reason()).startsWith("has no offset");
        assertThat(rejected(FieldType.DATETIME, "2024-03-01 10:00").reason()).startsWith("has no offset");
        assertThat(rejected(FieldType.DATETIME, "2024-03-01").reason()).startsWith("is not a datetime");
        assertThat(rejected(FieldType.DATETIME, "2024-03-01T25:00Z").reason()).startsWith("is not a datetime");
        assertThat(rejected(FieldType.DATETIME, "1709287200").reason()).startsWith("is not a datetime");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "{\"a\":1.50,\"b\":[true,null]}", "[1,2]", "\"text\"", "12.0", "null" })
    void jsonCell_isSentAsTheJsonItHolds(String cell) throws Exception {
        assertThat(sent(FieldType.JSON, cell)).isEqualTo(cell);
    }

    @Test
    void jsonCell_isRejected_whenItIsNotOneJsonValue() {
        assertThat(rejected(FieldType.JSON, "{a:1}").reason()).isEqualTo("is not JSON (line 1, column 2)");
        assertThat(rejected(FieldType.JSON, "{\"a\":1} x").reason()).startsWith("is not JSON");
    }

    @Test
    void jsonText_thatRepeatsAFieldName_isRejected_insteadOfKeepingOnlyTheLastValue() {
        assertThat(rejected(FieldType.JSON, "{\"a\":1,\"b\":{\"a\":2,\"a\":3}}").reason())
                .isEqualTo("is not JSON (line 1, column 22, a repeated field name)");
    }

    @Test
    void jsonText_nestedDeeperThanJsonReadersAccept_isRejected_withTheReason() {
        assertThat(rejected(FieldType.JSON, "[".repeat(2000)).reason())
                .isEqualTo("is not JSON (document nesting depth (1000) exceeds the maximum allowed (999))");
    }

    @Test
    void jsonText_thatTheRecordAroundItWouldNestTooDeep_isRejected() throws Exception {
        String deepest = "[".repeat(999) + "]".repeat(999);
        assertThat(Json.canonical(Rules.ndjson("{}").set("j", FieldType.JSON.shape("j", TextNode.valueOf(deepest)))))
                .hasSize(2 + 4 + deepest.length());
        assertThat(rejected(FieldType.JSON, "[" + deepest + "]").reason())
                .isEqualTo("is not JSON (document nesting depth (1000) exceeds the maximum allowed (999))");
    }

    @Test
    void ndjsonEmptyString_forAJsonField_isRejected_notSentAsNull() {
        JsonNode record = Rules.ndjson("{\"empty\":\"\",\"blank\":\"  \"}");

        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.JSON.shape("empty", record.get("empty")))
                .getMessage()).isEqualTo("field 'empty' is not JSON (it is empty)");
        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.JSON.shape("blank", record.get("blank")))
                .reason()).isEqualTo("is not JSON (it is empty)");
    }

    @Test
    void stringCell_isKeptAsItIs_whiteSpaceIncluded() throws Exception {
        assertThat(sent(FieldType.STRING, " 007 ")).isEqualTo("\" 007 \"");
    }

    @Test
    void ndjsonNumbers_areKeptAsWritten_whenTheyFitTheType() throws Exception {
        JsonNode record = Rules.ndjson("{\"i\":3,\"big\":123456789012345678901234567890,\"whole\":3.0,\"d\":9.50}");

        assertThat(FieldType.INTEGER.shape("i", record.get("i"))).isSameAs(record.get("i"));
        assertThat(FieldType.INTEGER.shape("big", record.get("big"))).isSameAs(record.get("big"));
        assertThat(Json.write(FieldType.INTEGER.shape("whole", record.get("whole")))).isEqualTo("3");
        assertThat(FieldType.DECIMAL.shape("d", record.get("d"))).isSameAs(record.get("d"));
        assertThat(Json.write(FieldType.DECIMAL.shape("i", record.get("i")))).isEqualTo("3");
    }

    @Test
    void ndjsonStrings_areConvertedLikeCsvCells() throws Exception {
        JsonNode record = Rules.ndjson("{\"qty\":\"3\",\"price\":\"9.50\",\"active\":\"yes\",\"meta\":\"{\\\"a\\\":1}\"}");

        assertThat(Json.write(FieldType.INTEGER.shape("qty", record.get("qty")))).isEqualTo("3");
        assertThat(Json.write(FieldType.DECIMAL.shape("price", record.get("price")))).isEqualTo("9.50");
        assertThat(Json.write(FieldType.BOOLEAN.shape("active", record.get("active")))).isEqualTo("true");
        assertThat(Json.write(FieldType.JSON.shape("meta", record.get("meta")))).isEqualTo("{\"a\":1}");
    }

    @Test
    void ndjsonValues_ofAnotherJsonType_areRejected_namingWhatTheyAre() {
        JsonNode record = Rules.ndjson("{\"half\":3.5,\"flag\":true,\"obj\":{\"a\":1},\"list\":[1],\"two\":2,\"day\":20240301}");

        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.INTEGER.shape("half", record.get("half")))
                .getMessage()).isEqualTo("field 'half' is not a whole number: \"3.5\"");
        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.INTEGER.shape("flag", record.get("flag")))
                .reason()).isEqualTo("is a boolean, not an integer");
        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.DECIMAL.shape("obj", record.get("obj")))
                .reason()).isEqualTo("is an object, not a decimal number");
        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.STRING.shape("list", record.get("list")))
                .reason()).isEqualTo("is an array, not a string");
        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.BOOLEAN.shape("two", record.get("two")))
                .reason()).isEqualTo("is a number, not a boolean (true/false/1/0/yes/no)");
        assertThat(catchThrowableOfType(ShapeException.class, () -> FieldType.DATE.shape("day", record.get("day")))
                .reason()).isEqualTo("is a number, not a date (yyyy-MM-dd)");
    }

    @Test
    void ndjsonScalars_becomeText_forAStringField_andNullStaysNull_forEveryType() throws Exception {
        JsonNode record = Rules.ndjson("{\"n\":9.50,\"b\":false,\"z\":null,\"one\":1}");

        assertThat(Json.write(FieldType.STRING.shape("n", record.get("n")))).isEqualTo("\"9.50\"");
        assertThat(Json.write(FieldType.STRING.shape("b", record.get("b")))).isEqualTo("\"false\"");
        assertThat(Json.write(FieldType.BOOLEAN.shape("one", record.get("one")))).isEqualTo("true");
        for (FieldType type : FieldType.values()) {
            assertThat(type.shape("z", record.get("z")).isNull()).as(type.name()).isTrue();
        }
    }

    @Test
    void rejectedValue_isShownAsAnExcerpt_notWhole() {
        String cell = "x".repeat(5000);

        ShapeException e = rejected(FieldType.INTEGER, cell);

        assertThat(e.valueExcerpt()).hasSize(ShapeException.EXCERPT_CHARS).endsWith("…");
        assertThat(e.getMessage()).hasSizeLessThan(200);
    }

    private static String sent(FieldType type, String cell) throws ShapeException {
        return Json.write(type.shape("qty", TextNode.valueOf(cell)));
    }

    private static ShapeException rejected(FieldType type, String cell) {
        ShapeException e = catchThrowableOfType(ShapeException.class, () -> type.shape("qty", TextNode.valueOf(cell)));
        assertThat(e).as("%s accepted %s", type, cell).isNotNull();
        return e;
    }
}
