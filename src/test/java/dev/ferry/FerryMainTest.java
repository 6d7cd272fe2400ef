package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ferry.config.FerryConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The exit-78 message of a configuration value that cannot be converted. */
class FerryMainTest {

    @Test
    void urlThatCannotBeRead_isNamed_withoutTheUserAndPasswordItHolds() {
        Throwable failure = catchThrowable(() -> new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withMapping(FerryConfig.class).withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("ferry.target.url", "https://ops:p@ss w0rd@api.example.com/v1"),
                        "test", 200))
                .build().getConfigMapping(FerryConfig.class));

        String problem = FerryMain.configurationProblem(failure);

        assertThat(problem).contains("ferry.target.url").contains("api.example.com").doesNotContain("ss w0rd")
                .doesNotContain("ops:");
    }
}
