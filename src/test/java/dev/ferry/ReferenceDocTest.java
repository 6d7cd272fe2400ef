package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.FerryProperties.Property;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.core.ExitCodes;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * docs/reference.md, the contract in the repository, names everything the code offers: each property of the
 * FerryConfig mapping, each exit code, each ferry_* metric. Read off the code, so a new one fails here until
 * it is documented.
 */
class ReferenceDocTest {

    static final Path REFERENCE = Path.of("docs", "reference.md");

    @Test
    void reference_listsEveryProperty() throws Exception {
        String reference = Files.readString(REFERENCE);
        for (Property property : FerryProperties.all()) {
            assertThat(reference).as(property.name())
                    .contains("| `" + property.name() + (property.map() ? ".<" : "`"));
        }
    }

    @Test
    void reference_listsEveryExitCode() throws Exception {
        String reference = Files.readString(REFERENCE);
        for (Field code : ExitCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(code.getModifiers()) && code.getType() == int.class) {
                assertThat(reference).as(code.getName()).containsPattern("(?m)^\\| " + code.getInt(null) + " \\|");
            }
        }
    }

    @Test
    void reference_listsEveryFerryMetric() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FerryMetrics(registry);
        List<String> names = registry.getMeters().stream()
                .map(meter -> meter.getId().getConventionName(registry.config().namingConvention()))
                .distinct().toList();
        assertThat(names).contains("ferry_records_total", "ferry_last_exit_code");

        String reference = Files.readString(REFERENCE);
        for (String name : names) {
            assertThat(reference).as(name).contains("| `" + name + "` |");
        }
    }
}
