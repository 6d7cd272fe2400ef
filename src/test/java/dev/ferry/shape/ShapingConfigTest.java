package dev.ferry.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ferry.config.FerryConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The shaping properties as SmallRye Config reads them into {@link FerryConfig} (no application started): from a
 * properties file and from environment variables, as docs/shaping.md tells operators to write them.
 */
class ShapingConfigTest {

    @Test
    void nothingSet_shapesNothing_andEmptyCsvCellsBecomeNull() {
        ShapingRules rules = ShapingRules.from(config(Map.of(), Map.of()));

        assertThat(rules).isEqualTo(ShapingRules.none("id"));
        assertThat(rules.csvEmpty()).isEqualTo(CsvEmpty.NULL);
    }

    @Test
    void properties_giveEveryRule_withLowercaseTypeNames_andQuotedFieldNames() {
        ShapingRules rules = ShapingRules.from(config(Map.of(
                "ferry.record.types.qty", "integer",
                "ferry.record.types.\"Order.Price\"", "decimal",
                "ferry.record.types.Active", "BOOLEAN",
                "ferry.record.rename.order_no", "id",
                "ferry.record.drop", "internal,note",
                "ferry.record.set.currency", "EUR",
                "ferry.record.transform", "/etc/ferry/shape.jslt",
                "ferry.record.key", "{country}-{id}",
                "ferry.csv.empty", "omit"), Map.of()));

        assertThat(rules.types()).containsExactlyInAnyOrderEntriesOf(Map.of("qty", FieldType.INTEGER, "Order.Price",
                FieldType.DECIMAL, "Active", FieldType.BOOLEAN));
        assertThat(rules.rename()).isEqualTo(Map.of("order_no", "id"));
        assertThat(rules.drop()).containsExactly("internal", "note");
        assertThat(rules.set()).isEqualTo(Map.of("currency", "EUR"));
        assertThat(rules.transform()).contains(Path.of("/etc/ferry/shape.jslt"));
        assertThat(rules.keyTemplate()).contains("{country}-{id}");
        assertThat(rules.csvEmpty()).isEqualTo(CsvEmpty.OMIT);
    }

    @Test
    void environmentVariables_setMapKeys_inLowercase() {
        ShapingRules rules = ShapingRules.from(config(Map.of(), Map.of(
                "FERRY_RECORD_TYPES_QTY", "integer",
                "FERRY_RECORD_RENAME_SKU", "id",
                "FERRY_RECORD_SET_CURRENCY", "EUR",
                "FERRY_RECORD_DROP", "internal",
                "FERRY_CSV_EMPTY", "string",
                "FERRY_RECORD_KEY", "{country}-{id}")));

        assertThat(rules.types()).isEqualTo(Map.of("qty", FieldType.INTEGER));
        assertThat(rules.rename()).isEqualTo(Map.of("sku", "id"));
        assertThat(rules.set()).isEqualTo(Map.of("currency", "EUR"));
        assertThat(rules.drop()).containsExactly("internal");
        assertThat(rules.csvEmpty()).isEqualTo(CsvEmpty.STRING);
        assertThat(rules.keyTemplate()).contains("{country}-{id}");
    }

    @Test
    void environmentVariable_overridesAPropertiesKey_withCapitalsOrDots() {
        ShapingRules rules = ShapingRules.from(config(
                Map.of("ferry.record.types.\"Order.Qty\"", "string", "ferry.record.types.Price", "string"),
                Map.of("FERRY_RECORD_TYPES__ORDER_QTY__", "integer", "FERRY_RECORD_TYPES_PRICE", "decimal")));

        assertThat(rules.types()).isEqualTo(Map.of("Order.Qty", FieldType.INTEGER, "Price", FieldType.DECIMAL));
    }

    @Test
    void environmentVariable_readsAnUnderscoreInAMapKeyAsADot() {
        // so a field name with '_' (or '-', '.', capitals) is written in a properties source, see docs/shaping.md
        assertThat(ShapingRules.from(config(Map.of(), Map.of("FERRY_RECORD_RENAME_ORDER_NO", "id"))).rename())
                .isEqualTo(Map.of("order.no", "id"));
    }

    @Test
    void unknownTypeName_failsAtStart_namingThePropertyAndTheValue() {
        Throwable failure = catchThrowable(() -> ShapingRules.from(config(Map.of("ferry.record.types.qty", "intger"),
                Map.of())));

        assertThat(failure).hasMessageContaining("ferry.record.types.qty").hasMessageContaining("intger");
    }

    private static FerryConfig config(Map<String, String> properties, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(FerryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' 5s / 7d
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300)).build();
        return config.getConfigMapping(FerryConfig.class);
    }

}
