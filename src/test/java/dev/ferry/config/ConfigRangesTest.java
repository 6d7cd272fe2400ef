package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The bounds of the numeric properties, as the configuration is read with {@link ConfigRanges} customizing the
 * builder (as the application's generated configuration does): the value just outside a bound is refused with the
 * property, the bound and the value named; the bound itself is accepted.
 */
class ConfigRangesTest {

    @ParameterizedTest
    @CsvSource({ "ferry.record.max-bytes, 15, 16, must be at least 16 (it is 15)",
            "ferry.record.max-key-bytes, 0, 1, must be at least 1 (it is 0)",
            "ferry.retry.max-retries, -1, 0, must be at least 0 (it is -1)",
            "ferry.retry.budget, -1.5, -1, must be at least -1 (it is -1.5)",
            "ferry.breaker.failure-threshold, 0, 1, must be at least 1 (it is 0)",
            "ferry.delivery.concurrency, 0, 1, must be at least 1 (it is 0)",
            "ferry.delivery.rate-limit, 0, 0.01, must be above 0 (it is 0)",
            "ferry.delivery.refusal-stop, -1, 0, must be at least 0 (it is -1)",
            "ferry.snapshot.max-delete-ratio, 1.01, 1, must be between 0 and 1 (it is 1.01)",
            "ferry.snapshot.max-delete-ratio, -0.1, 0, must be between 0 and 1 (it is -0.1)",
            "ferry.failed.max-runs, 0, 1, must be at least 1 (it is 0)",
            "ferry.replay.max-share, 0, 1, must be above 0 and at most 1 (it is 0)",
            "ferry.replay.max-share, 1.5, 0.01, must be above 0 and at most 1 (it is 1.5)",
            "ferry.shard.count, 0, 1, must be at least 1 (it is 0)",
            "ferry.shard.index, -1, 0, must be at least 0 (it is -1)",
            "ferry.run.work-left-exit-code, 256, 255, must be between 0 and 255 (it is 256)",
            "ferry.run.work-left-exit-code, -1, 0, must be between 0 and 255 (it is -1)",
            "ferry.verify.rate, 0, 0.001, must be at least 0.001 (it is 0)",
            "ferry.verify.budget, 0, 1, must be at least 1 (it is 0)",
            "ferry.retry.budget, NaN, 0, must be at least -1 (it is NaN)",
            "ferry.request.timeout, 0, 1ms, must be between 1ms and 1d (it is 0s)",
            "ferry.request.timeout, -1s, 1ms, must be between 1ms and 1d (it is -1s)",
            "ferry.request.timeout, 1000000d, 1d, must be between 1ms and 1d (it is 1000000d)",
            "ferry.breaker.delay, -5s, 0s, must be between 0s and 365d (it is -5s)",
            "ferry.run.max-duration, 0s, 1ms, must be between 1ms and 365d (it is 0s)",
            "ferry.run.max-duration, -1s, 1ms, must be between 1ms and 365d (it is -1s)" })
    void outsideTheBound_isRefusedNamingThePropertyAndValue_theBoundIsAccepted(String property, String outside,
            String bound, String rule) {
        ConfigValidationException refused = catchThrowableOfType(ConfigValidationException.class,
                () -> read(Map.of(property, outside)));

        assertThat(refused).isNotNull();
        assertThat(refused.getProblemCount()).isEqualTo(1);
        assertThat(refused.getProblem(0).getMessage()).isEqualTo(property + " " + rule);
        assertThatNoException().isThrownBy(() -> read(Map.of(property, bound)));
    }

    @Test
    void theDefaults_areInRange() {
        assertThatNoException().isThrownBy(() -> read(Map.of()));
    }

    @Test
    void everyPropertyOutOfRange_isNamed_inOneError() {
        ConfigValidationException refused = catchThrowableOfType(ConfigValidationException.class,
                () -> read(Map.of("ferry.delivery.concurrency", "0", "ferry.shard.count", "0")));

        assertThat(refused.getMessage()).contains("ferry.delivery.concurrency", "ferry.shard.count");
    }

    private static FerryConfig read(Map<String, String> properties) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withMapping(FerryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250));
        new ConfigRanges().configBuilder(builder);
        return builder.build().getConfigMapping(FerryConfig.class);
    }
}
