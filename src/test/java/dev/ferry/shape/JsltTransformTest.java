package dev.ferry.shape;

import static dev.ferry.shape.Rules.csv;
import static dev.ferry.shape.Rules.ndjson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Json;
import dev.ferry.ingest.SourceFormat;

/** Step 3 of shaping: the JSLT transform, compiled at start and applied to each record after the field steps. */
class JsltTransformTest {

    static final String NESTING = "{\"id\": .id, \"price\": {\"amount\": .price, \"currency\": \"EUR\"}, * : .}";

    @TempDir
    Path dir;

    @Test
    void nestingExample_wrapsThePrice_keepingTheOtherFields_andTheExactDecimal() throws Exception {
        RecordShaper shaper = Rules.keyField("id").type("id", FieldType.INTEGER).type("price", FieldType.DECIMAL)
                .type("qty", FieldType.INTEGER).transform(file(NESTING)).shaper();

        Shaped shaped = shaper.shape(csv("id", "7", "qty", "3", "price", "9.50", "sku", "A-1"), SourceFormat.CSV);

        assertThat(new String(Json.bytes(shaped.record()), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":7,\"price\":{\"amount\":9.50,\"currency\":\"EUR\"},\"qty\":3,\"sku\":\"A-1\"}");
        assertThat(shaped.key()).isEqualTo("7");
    }

    @Test
    void transform_seesTheFieldStepsResult_renamedAndWithConstants() throws Exception {
        RecordShaper shaper = Rules.keyField("id").rename("order_no", "id").set("source", "erp")
                .transform(file("{\"id\": .id, \"origin\": .source}")).shaper();

        assertThat(Json.write(shaper.shape(csv("order_no", "9"), SourceFormat.CSV).record()))
                .isEqualTo("{\"id\":\"9\",\"origin\":\"erp\"}");
    }

    @Test
    void nullValues_passOnWithTheMatcher_butAnExplicitPairWithoutValueIsLeftOut_asJsltDoes() throws Exception {
        RecordShaper shaper = Rules.keyField("id").transform(file("{\"id\": .id, \"extra\": .missing, * : .}")).shaper();

        assertThat(Json.write(shaper.shape(csv("id", "1", "note", ""), SourceFormat.CSV).record()))
                .isEqualTo("{\"id\":\"1\",\"note\":null}");
    }

    @Test
    void imports_areReadRelativeToTheTransformsFolder() throws Exception {
        Files.writeString(dir.resolve("money.jslt"), "def amount(p) {\"amount\": $p, \"currency\": \"EUR\"}");
        RecordShaper shaper = Rules.keyField("id").type("price", FieldType.DECIMAL)
                .transform(file("import \"money.jslt\" as m\n{\"id\": .id, \"price\": m:amount(.price)}")).shaper();

        assertThat(Json.write(shaper.shape(csv("id", "1", "price", "0.10"), SourceFormat.CSV).record()))
                .isEqualTo("{\"id\":\"1\",\"price\":{\"amount\":0.10,\"currency\":\"EUR\"}}");
    }

    @Test
    void syntaxError_failsAtStart_namingTheFileLineAndColumn() throws Exception {
        Path file = file("{\"id\": .id,\n  \"price\" .price}");

        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").transform(file).shaper());

        assertThat(e.property()).isEqualTo("ferry.record.transform");
        assertThat(e.getMessage()).startsWith("ferry.record.transform: " + file + ": line 2, column 11: Parse error")
                .doesNotContain("\n");
    }

    @Test
    void lexicalError_andUnknownFunction_failAtStart_withTheirPosition() throws Exception {
        Path unterminated = file("{\"id\": \"open}");
        Path unknown = file("{\"id\": foo(.id)}");

        assertThat(catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").transform(unterminated).shaper()).getMessage()).contains(": line 1, column ");
        assertThat(catchThrowableOfType(ConfigurationError.class, () -> Rules.keyField("id").transform(unknown).shaper())
                .getMessage()).endsWith(": line 1, column 8: No such function: 'foo'");
    }

    @Test
    void missingFile_failsAtStart() {
        Path missing = dir.resolve("nope.jslt");

        ConfigurationError e = catchThrowableOfType(ConfigurationError.class,
                () -> Rules.keyField("id").transform(missing).shaper());

        assertThat(e.getMessage()).isEqualTo("ferry.record.transform: " + missing + ": no such file");
    }

    @Test
    void runtimeError_rejectsThatRecordOnly() throws Exception {
        RecordShaper shaper = Rules.keyField("id").transform(file("{\"id\": .id, \"n\": number(.n)}")).shaper();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(csv("id", "1", "n", "abc"), SourceFormat.CSV));

        assertThat(e.field()).isEqualTo(ShapeException.TRANSFORM);
        assertThat(e.getMessage()).startsWith("the transform failed: ").contains("abc");
        assertThat(Json.write(shaper.shape(csv("id", "2", "n", "5"), SourceFormat.CSV).record()))
                .isEqualTo("{\"id\":\"2\",\"n\":5}");
    }

    @Test
    void resultThatIsNotAnObject_rejectsTheRecord() throws Exception {
        RecordShaper shaper = Rules.keyField("id").transform(file(".items")).shaper();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(ndjson("{\"id\":1,\"items\":[1,2]}"), SourceFormat.NDJSON));

        assertThat(e.getMessage()).isEqualTo("the transform returned an array, not an object: \"[1,2]\"");
    }

    @Test
    void endlessRecursion_rejectsThatRecordOnly_insteadOfStoppingTheRun() throws Exception {
        RecordShaper shaper = Rules.keyField("id")
                .transform(file("def depth(n) if ($n > 0) depth($n + 1) else 0\n{\"id\": .id, \"d\": depth(.n)}")).shaper();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(ndjson("{\"id\":1,\"n\":1}"), SourceFormat.NDJSON));

        assertThat(e.getMessage()).isEqualTo("the transform failed: \"it recursed too deeply (stack overflow)\"");
        assertThat(Json.write(shaper.shape(ndjson("{\"id\":2,\"n\":0}"), SourceFormat.NDJSON).record()))
                .isEqualTo("{\"id\":2,\"d\":0}");
    }

    @Test
    void arithmeticThatOverflows_rejectsTheRecord_insteadOfSendingTheTextInfinity() throws Exception {
        RecordShaper shaper = Rules.keyField("id").transform(file("{\"id\": .id, \"total\": {\"sum\": .a * .b}}")).shaper();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(ndjson("{\"id\":1,\"a\":1e300,\"b\":1e300}"), SourceFormat.NDJSON));

        assertThat(e.getMessage()).isEqualTo("the transform made a number JSON cannot hold: \"Infinity\"");
        assertThat(Json.write(shaper.shape(ndjson("{\"id\":2,\"a\":1.5,\"b\":2}"), SourceFormat.NDJSON).record()))
                .isEqualTo("{\"id\":2,\"total\":{\"sum\":3.0}}");
    }

    @Test
    void resultNestedDeeperThanJsonWritersAccept_rejectsThatRecordOnly() throws Exception {
        RecordShaper shaper = Rules.keyField("id").transform(file(
                "def wrap(n) if ($n > 0) {\"a\": wrap($n - 1)} else 0\n{\"id\": .id, \"w\": wrap(.n)}")).shaper();

        ShapeException e = catchThrowableOfType(ShapeException.class,
                () -> shaper.shape(ndjson("{\"id\":1,\"n\":1000}"), SourceFormat.NDJSON));

        assertThat(e.getMessage()).isEqualTo("the transform made a record nested deeper than 1000 levels");
        assertThat(Json.canonical(shaper.shape(ndjson("{\"id\":2,\"n\":998}"), SourceFormat.NDJSON).record()))
                .startsWith("{\"id\":2,\"w\":{\"a\":{");
    }

    private Path file(String jslt) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "shape", ".jslt"), jslt);
    }
}
