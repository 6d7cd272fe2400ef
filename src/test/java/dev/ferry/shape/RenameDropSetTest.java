package dev.ferry.shape;

import static dev.ferry.shape.Rules.csv;
import static dev.ferry.shape.Rules.ndjson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Json;
import dev.ferry.ingest.SourceFormat;

/** Step 2 of shaping: renames, drops and constants, after the types and before the transform. */
class RenameDropSetTest {

    @Test
    void rename_keepsTheFieldsPlace_andTheTypeOfItsSourceName() throws Exception {
        RecordShaper shaper = Rules.keyField("id").rename("order_no", "id").type("order_no", FieldType.INTEGER)
                .rename("qty", "quantity").shaper();

        Shaped shaped = shaper.shape(csv("order_no", "42", "qty", "3", "sku", "A-1"), SourceFormat.CSV);

        assertThat(Json.write(shaped.record())).isEqualTo("{\"id\":42,\"quantity\":\"3\",\"sku\":\"A-1\"}");
        assertThat(shaped.key()).isEqualTo("42");
    }

    @Test
    void rename_swapsTwoFields() throws Exception {
        RecordShaper shaper = Rules.keyField("id").rename("a", "b").rename("b", "a").shaper();

        assertThat(Json.write(shaper.shape(ndjson("{\"id\":1,\"a\":\"x\",\"b\":\"y\"}"), SourceFormat.NDJSON).record()))
                .isEqualTo("{\"id\":1,\"b\":\"x\",\"a\":\"y\"}");
    }

    @Test
    void rename_ontoAFieldTheRecordHas_rejectsTheRecord_namingIt() {
        RecordShaper shaper = Rules.keyField("id").rename("sku", "code").shaper();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(csv("id", "1", "code", "C", "sku", "S"), SourceFormat.CSV));

        assertThat(e.field()).isEqualTo("code");
        assertThat(e.getMessage()).startsWith("field 'code' is there twice after renaming");
    }

    @Test
    void drop_namesFieldsAfterRenaming_andDroppedValuesAreNotTypeChecked() throws Exception {
        RecordShaper shaper = Rules.keyField("id").rename("internal_note", "note").drop("note", "secret")
                .type("secret", FieldType.INTEGER).shaper();

        assertThat(Json.write(shaper.shape(csv("id", "1", "internal_note", "n", "secret", "not a number"),
                SourceFormat.CSV).record())).isEqualTo("{\"id\":\"1\"}");
    }

    @Test
    void set_addsOrReplacesConstants_typedByTheFieldsType() throws Exception {
        RecordShaper shaper = Rules.keyField("id").set("currency", "EUR").set("version", "2")
                .type("version", FieldType.INTEGER).set("meta", "{\"source\":\"erp\"}").type("meta", FieldType.JSON)
                .shaper();

        assertThat(Json.write(shaper.shape(csv("id", "1", "currency", "USD"), SourceFormat.CSV).record()))
                .isEqualTo("{\"id\":\"1\",\"currency\":\"EUR\",\"meta\":{\"source\":\"erp\"},\"version\":2}");
    }

    @Test
    void set_jsonConstant_isNotSharedBetweenRecords() throws Exception {
        RecordShaper shaper = Rules.keyField("id").set("meta", "{\"a\":1}").type("meta", FieldType.JSON).shaper();

        Shaped first = shaper.shape(csv("id", "1"), SourceFormat.CSV);
        Shaped second = shaper.shape(csv("id", "2"), SourceFormat.CSV);

        assertThat(first.record().get("meta")).isEqualTo(second.record().get("meta")).isNotSameAs(second.record().get("meta"));
    }

    @Test
    void set_constantThatDoesNotFitItsType_failsAtStart_withoutEchoingTheValue() {
        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").set("retries.max", "s3cr3t").type("retries.max", FieldType.INTEGER).shaper());

        assertThat(e.property()).isEqualTo("ferry.record.set.\"retries.max\"");
        assertThat(e.getMessage()).contains("is not an integer").doesNotContain("s3cr3t");
    }

    @Test
    void renameTargetsThatCollide_failAtStart() {
        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").rename("a", "x").rename("b", "x").shaper());

        assertThat(e.property()).startsWith("ferry.record.rename.");
        assertThat(e.getMessage()).contains("are both renamed to 'x'");
    }

    @Test
    void renameToNothing_failsAtStart() {
        assertThat(catchThrowableOfType(ConfigurationError.class, () -> Rules.keyField("id").rename("a", " ").shaper())
                .property()).isEqualTo("ferry.record.rename.a");
    }

    @Test
    void droppingANameThatIsRenamedAway_failsAtStart_sayingWhichNameToDrop() {
        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").rename("internal_note", "note").drop("internal_note").shaper());

        assertThat(e.property()).isEqualTo("ferry.record.drop");
        assertThat(e.getMessage()).contains("drop 'note'");
    }
}
