package dev.ferry.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.core.ConfigurationError;
import dev.ferry.run.FerryRun;
import dev.ferry.verify.Verifier;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A bearer token holding a control character (issue 12): the application still starts (so {@code ferry status}
 * works), but {@code run} and {@code verify} refuse to begin, naming the property and never showing the value.
 */
@QuarkusTest
@TestProfile(SecretConfigErrorTest.Profile.class)
class SecretConfigErrorTest {

    static final String TOKEN = "s3cret-with-a-bell";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.target.bearer-token", TOKEN.replace("-a-", "-\u0007-"));
        }
    }

    @Inject
    FerryRun run;

    @Inject
    Verifier verifier;

    @Test
    void controlCharacterInTheToken_stopsRunAndVerifyBeforeAnything_namingThePropertyNotTheValue() {
        TestData.reset();
        TestData.drop("a.ndjson", TestData.records(1));

        try (LogCapture logs = LogCapture.start()) {
            ConfigurationError run = catchThrowableOfType(ConfigurationError.class, this.run::run);
            ConfigurationError verify = catchThrowableOfType(ConfigurationError.class,
                    () -> verifier.verify(false, false, OptionalLong.empty()));

            for (ConfigurationError error : new ConfigurationError[] { run, verify }) {
                assertThat(error.property()).isEqualTo("ferry.target.bearer-token");
                assertThat(error.getMessage()).contains("control character").doesNotContain("s3cret")
                        .doesNotContain("bell");
            }
            assertThat(logs.all()).doesNotContain("s3cret");
        }
        assertThat(TestData.files("inbox")).as("input untouched").containsExactly("a.ndjson");
    }
}
