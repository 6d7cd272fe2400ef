package dev.ferry.shape;

import static dev.ferry.shape.Rules.csv;
import static dev.ferry.shape.Rules.ndjson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.core.ConfigurationError;
import dev.ferry.ingest.SourceFormat;

/** Step 4 of shaping: the key, from a template or the key field, read from the shaped record. */
class KeyTemplateTest {

    @Test
    void compositeTemplate_joinsTheFields_withTheLiteralText() throws Exception {
        RecordShaper shaper = Rules.keyField("id").key("{country}-{id}/v{version}").type("version", FieldType.INTEGER)
                .shaper();

        assertThat(shaper.shape(csv("id", "42", "country", "DE", "version", "007"), SourceFormat.CSV).key())
                .isEqualTo("DE-42/v7");
    }

    @Test
    void keyParts_thatAreNumbers_giveTheirJsonText() throws Exception {
        RecordShaper shaper = Rules.keyField("id").key("{id}:{price}").shaper();

        assertThat(shaper.shape(ndjson("{\"id\":12345678901234567890,\"price\":9.50}"), SourceFormat.NDJSON).key())
                .isEqualTo("12345678901234567890:9.50");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "{\"id\":1}|1|1", "{\"id\":\"1\"}|1|1", "{\"id\":1.0}|1.0|1",
            "{\"id\":\"1.0\"}|1.0|1", "{\"id\":1e3}|1E+3|1000", "{\"id\":-0}|0|0" })
    void numberKey_isItsJsonText_soOnlyAnIntegerTypeMakesOneKeyOfEqualNumbers(String line, String key, String typed)
            throws Exception {
        RecordShaper asRead = Rules.keyField("id").shaper();
        RecordShaper integer = Rules.keyField("id").type("id", FieldType.INTEGER).shaper();

        assertThat(asRead.shape(ndjson(line), SourceFormat.NDJSON).key()).isEqualTo(key);
        assertThat(integer.shape(ndjson(line), SourceFormat.NDJSON).key()).isEqualTo(typed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"id\":1}|field 'country' is missing, so the record has no key",
            "{\"id\":1,\"country\":null}|field 'country' is null, not a string or number, so the record has no key",
            "{\"id\":1,\"country\":\" \"}|field 'country' is empty, so the record has no key: \" \"",
            "{\"id\":1,\"country\":{\"code\":\"DE\"}}|field 'country' is an object, not a string or number, so the record has no key: \"{\\\"code\\\":\\\"DE\\\"}\"",
            "{\"id\":true,\"country\":\"DE\"}|field 'id' is a boolean, not a string or number, so the record has no key: \"true\"" })
    void keyPart_thatIsMissingBlankOrNotAScalar_rejectsTheRecord_namingTheField(String line, String message) {
        RecordShaper shaper = Rules.keyField("id").key("{country}-{id}").shaper();

        assertThat(catchThrowableOfType(ShapeException.class, () -> shaper.shape(ndjson(line), SourceFormat.NDJSON))
                .getMessage()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "{}|names no field", "{country|is not closed", "country}-{id}|closes no '{'",
            "{a{b}}|is not closed", "plain|names no field", "{id}}|closes no '{'" })
    void malformedTemplate_failsAtStart_namingTheProperty(String template, String problem) {
        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").key(template).shaper());

        assertThat(e.property()).isEqualTo("ferry.record.key");
        assertThat(e.getMessage()).contains(problem);
    }

    @Test
    void keyField_namesTheShapedRecordsField_soARenameOntoItGivesTheKey() throws Exception {
        RecordShaper shaper = Rules.keyField("id").rename("order_no", "id").shaper();

        assertThat(shaper.shape(csv("order_no", "A-7"), SourceFormat.CSV).key()).isEqualTo("A-7");
    }

    @Test
    void keyField_renamedAway_failsAtStart_sayingTheKeyIsReadAfterShaping() {
        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").rename("id", "order_id").shaper());

        assertThat(e.property()).isEqualTo("ferry.record.key-field");
        assertThat(e.getMessage()).contains("'id' is renamed to 'order_id'").contains("shaped record");
    }

    @Test
    void keyField_droppedOrSetToAConstant_failsAtStart() {
        assertThat(catchThrowableOfType(ConfigurationError.class, () -> Rules.keyField("id").drop("id").shaper())
                .getMessage()).contains("'id' is dropped");
        assertThat(catchThrowableOfType(ConfigurationError.class, () -> Rules.keyField("id").set("id", "1").shaper())
                .getMessage()).contains("every record would have the same key");
        assertThat(catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").key("{country}-{id}").drop("country").shaper()).property())
                .isEqualTo("ferry.record.key");
    }

    @Test
    void templateField_setToAConstant_isAllowed_whenAnotherFieldVaries() throws Exception {
        RecordShaper shaper = Rules.keyField("id").key("{tenant}-{id}").set("tenant", "acme").shaper();

        assertThat(shaper.shape(csv("id", "9"), SourceFormat.CSV).key()).isEqualTo("acme-9");
    }

    @Test
    void keyFieldDropped_isAllowed_whenTheTransformMakesTheKey(@TempDir Path dir) throws Exception {
        Path transform = Files.writeString(dir.resolve("key.jslt"), "{\"id\": .code + \"-\" + .n, * : .}");
        RecordShaper shaper = Rules.keyField("id").drop("id").transform(transform).shaper();

        assertThat(shaper.shape(csv("id", "ignored", "code", "X", "n", "1"), SourceFormat.CSV).key()).isEqualTo("X-1");
    }
}
