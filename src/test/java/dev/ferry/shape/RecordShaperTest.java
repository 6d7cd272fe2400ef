package dev.ferry.shape;

import static dev.ferry.shape.Rules.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.ingest.SourceFormat;

/**
 * The steps together, in their documented order (docs/shaping.md), on the issue's own example; and what the key and
 * content hash are computed on.
 */
class RecordShaperTest {

    @TempDir
    Path dir;

    @Test
    void ordinaryExport_withTypes_isSentWithNumbersAndBooleans_notStrings() throws Exception {
        RecordShaper shaper = Rules.keyField("id").type("id", FieldType.INTEGER).type("qty", FieldType.INTEGER)
                .type("price", FieldType.DECIMAL).type("active", FieldType.BOOLEAN).type("created", FieldType.DATE)
                .shaper();

        Shaped shaped = shaper.shape(csv("id", "1", "qty", "3", "price", "9.50", "active", "true", "created",
                "2024-03-01"), SourceFormat.CSV);

        assertThat(Json.write(shaped.record()))
                .isEqualTo("{\"id\":1,\"qty\":3,\"price\":9.50,\"active\":true,\"created\":\"2024-03-01\"}");
        assertThat(shaped.key()).isEqualTo("1");
    }

    @Test
    void steps_runInOrder_typesOnSourceNames_renameDropSet_transform_thenTheKey() throws Exception {
        Path transform = Files.writeString(dir.resolve("t.jslt"),
                "{\"ref\": .country + \"/\" + string(.id), \"order\": {\"id\": .id, \"currency\": .currency}, * : .}");
        RecordShaper shaper = Rules.keyField("id").type("order_no", FieldType.INTEGER).rename("order_no", "id")
                .drop("note").set("currency", "EUR").transform(transform).key("{ref}").shaper();

        Shaped shaped = shaper.shape(csv("order_no", "0042", "country", "DE", "note", "x"), SourceFormat.CSV);

        assertThat(Json.write(shaped.record())).isEqualTo(
                "{\"ref\":\"DE/42\",\"order\":{\"id\":42,\"currency\":\"EUR\"},\"id\":42,\"country\":\"DE\",\"currency\":\"EUR\"}");
        assertThat(shaped.key()).isEqualTo("DE/42");
    }

    @Test
    void docsWorkedExample_givesTheBodiesAndKeysDocsShapingMdShows() throws Exception {
        Path transform = Files.writeString(dir.resolve("order.jslt"), JsltTransformTest.NESTING);
        RecordShaper shaper = Rules.keyField("id").type("order_no", FieldType.INTEGER).type("qty", FieldType.INTEGER)
                .type("price", FieldType.DECIMAL).type("active", FieldType.BOOLEAN).type("created", FieldType.DATETIME)
                .rename("order_no", "id").rename("created", "created_at").drop("note").set("source", "erp")
                .transform(transform).key("{country}-{id}").shaper();

        Shaped first = shaper.shape(csv("order_no", "1001", "country", "DE", "qty", "3", "price", "9.50", "active", "yes",
                "created", "2024-03-01 10:20:00+01:00", "note", "first order"), SourceFormat.CSV);
        Shaped second = shaper.shape(csv("order_no", "1002", "country", "FR", "qty", "", "price", "12.00", "active", "no",
                "created", "2024-03-02T08:00Z", "note", ""), SourceFormat.CSV);
        ShapeException third = catchThrowableOfType(ShapeException.class, () -> shaper.shape(csv("order_no", "1003",
                "country", "DE", "qty", "2", "price", "4.5O", "active", "yes", "created", "2024-03-03T09:00:00Z", "note", ""),
                SourceFormat.CSV));

        assertThat(first.key()).isEqualTo("DE-1001");
        assertThat(Json.write(first.record())).isEqualTo("{\"id\":1001,\"price\":{\"amount\":9.50,\"currency\":\"EUR\"},"
                + "\"country\":\"DE\",\"qty\":3,\"active\":true,\"created_at\":\"2024-03-01T10:20:00+01:00\",\"source\":\"erp\"}");
        assertThat(second.key()).isEqualTo("FR-1002");
        assertThat(Json.write(second.record())).isEqualTo("{\"id\":1002,\"price\":{\"amount\":12.00,\"currency\":\"EUR\"},"
                + "\"country\":\"FR\",\"qty\":null,\"active\":false,\"created_at\":\"2024-03-02T08:00:00Z\",\"source\":\"erp\"}");
        assertThat(third.getMessage()).isEqualTo("field 'price' is not a decimal number: \"4.5O\"");
    }

    @Test
    void contentHash_followsTheMapping_changedForAChangedMapping_sameForTheSame() throws Exception {
        ObjectNode raw = csv("id", "1", "qty", "3", "name", "n");
        RecordShaper asText = Rules.keyField("id").shaper();
        RecordShaper typed = Rules.keyField("id").type("qty", FieldType.INTEGER).shaper();

        assertThat(hash(typed.shape(raw, SourceFormat.CSV))).isNotEqualTo(hash(asText.shape(raw, SourceFormat.CSV)))
                .isEqualTo(hash(Rules.keyField("id").type("qty", FieldType.INTEGER).shaper().shape(raw.deepCopy(),
                        SourceFormat.CSV)));
    }

    @Test
    void rawRecord_isNeverModified() throws Exception {
        Path transform = Files.writeString(dir.resolve("t.jslt"), "{\"wrapped\": {\"qty\": .quantity}, * : .}");
        ObjectNode raw = csv("id", "1", "qty", "3", "note", "", "drop_me", "x");
        ObjectNode before = raw.deepCopy();

        Rules.keyField("id").type("qty", FieldType.INTEGER).rename("qty", "quantity").drop("drop_me").set("v", "1")
                .transform(transform).shaper().shape(raw, SourceFormat.CSV);

        assertThat(raw).isEqualTo(before);
    }

    @Test
    void oneShaper_servesManyThreads_withTheSameResults() throws Exception {
        Path transform = Files.writeString(dir.resolve("t.jslt"), JsltTransformTest.NESTING);
        RecordShaper shaper = Rules.keyField("id").type("price", FieldType.DECIMAL).type("qty", FieldType.INTEGER)
                .rename("name", "title").transform(transform).key("{id}-{qty}").shaper();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            expected.add(shapeNumber(shaper, i));
        }

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> {
                    List<String> bodies = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        bodies.add(shapeNumber(shaper, i));
                    }
                    return bodies;
                }));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String shapeNumber(RecordShaper shaper, int i) throws ShapeException {
        Shaped shaped = shaper.shape(csv("id", "k" + i, "qty", String.valueOf(i % 7), "price", i + ".50", "name", "n" + i),
                SourceFormat.CSV);
        return shaped.key() + " " + Json.write(shaped.record());
    }

    private static String hash(Shaped shaped) {
        return RecordKeys.sha256Hex(shaped.key() + "\n" + Json.canonical(shaped.record()));
    }
}
