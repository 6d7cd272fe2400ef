package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.target.TargetAuthConfigTest;
import dev.ferry.target.TargetConnection;

/**
 * What a run checks before it touches the volume is what {@code ferry check-config} checks: every property that
 * only a later step reads must still fail here, naming itself (exit 78).
 */
class StartChecksTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ferry.snapshot.pattern          | exports/customers-*.csv",
            "ferry.snapshot.pattern          | customers-[*.csv",
            "ferry.verify.ambiguous-after    | -PT5S",
            "ferry.retry.on-status           | 42x",
    })
    void aBadValueOfAPropertyALaterStepReads_failsTheStartChecks_namingTheProperty(String property, String value) {
        Map<String, String> properties = new HashMap<>(Map.of("ferry.target.url", "https://api.example.com/v1"));
        properties.put(property, value);
        FerryConfig config = TargetAuthConfigTest.config(properties, Map.of());
        StartChecks checks = new StartChecks(config, new TargetConnection(config, null, Clock.systemUTC(), null, "1"));

        assertThatThrownBy(checks::check).isInstanceOf(ConfigurationError.class).hasMessageStartingWith(property);
    }
}
