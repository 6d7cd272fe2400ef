package dev.ferry.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.LogCapture;
import dev.ferry.core.ConfigurationError;

class SecretTest {

    static final String PROPERTY = "ferry.target.bearer-token";
    final MovableClock clock = new MovableClock();

    @Test
    void value_losesOneTrailingNewline_lfOrCrLf() {
        assertThat(fromValue("s3cret\n").value()).isEqualTo("s3cret");
        assertThat(fromValue("s3cret\r\n").value()).isEqualTo("s3cret");
        assertThat(fromValue("s3cret").value()).isEqualTo("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = { "s3cret\n\n", "s3c\tret", "s3c\nret", "s3cret\r", "s3c\u007fret", "\n" })
    void controlCharacters_orNothingLeft_areRefusedAtStart_namingThePropertyButNotTheValue(String raw) {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class, () -> fromValue(raw));

        assertThat(error.property()).isEqualTo(PROPERTY);
        assertThat(error.getMessage()).doesNotContain("s3c").doesNotContain("ret");
    }

    @Test
    void valueAndFile_bothSet_isAConfigurationError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-file");

        ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                () -> Secret.of(PROPERTY, Optional.of("value"), Optional.of(file), clock));

        assertThat(error.getMessage()).contains("bearer-token-file").doesNotContain("from-file");
    }

    @Test
    void unreadableFile_isAConfigurationError_namingTheFileProperty(@TempDir Path dir) {
        ConfigurationError missing = catchThrowableOfType(ConfigurationError.class,
                () -> Secret.of(PROPERTY, Optional.empty(), Optional.of(dir.resolve("nope")), clock));
        ConfigurationError directory = catchThrowableOfType(ConfigurationError.class,
                () -> Secret.of(PROPERTY, Optional.empty(), Optional.of(dir), clock));

        assertThat(missing.property()).isEqualTo(PROPERTY + "-file");
        assertThat(directory.getMessage()).contains("not a regular file");
    }

    @Test
    void file_rotated_isReadAgain_onlyOnceASecondHasPassed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first\n");
        Secret secret = Secret.of(PROPERTY, Optional.empty(), Optional.of(file), clock).orElseThrow();
        assertThat(secret.value()).isEqualTo("first");

        rotate(file, "second-token\n");
        clock.advance(Duration.ofMillis(900));
        assertThat(secret.value()).as("looked at no more than once a second").isEqualTo("first");
        clock.advance(Duration.ofMillis(100));
        assertThat(secret.value()).isEqualTo("second-token");
    }

    @Test
    void file_rotatedToSomethingUnusable_keepsTheLastGoodValue_andWarnsWithoutIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "good\n");
        Secret secret = Secret.of(PROPERTY, Optional.empty(), Optional.of(file), clock).orElseThrow();
        rotate(file, "bad\u0001value");
        clock.advance(Duration.ofSeconds(2));

        try (LogCapture logs = LogCapture.start()) {
            assertThat(secret.value()).isEqualTo("good");
            assertThat(logs.all()).contains("control character").doesNotContain("bad").doesNotContain("good");
        }
    }

    @Test
    void toString_neverShowsTheValue() {
        assertThat(fromValue("s3cret").toString()).doesNotContain("s3cret").contains(PROPERTY);
    }

    private Secret fromValue(String raw) {
        return Secret.of(PROPERTY, Optional.of(raw), Optional.empty(), clock).orElseThrow();
    }

    /** A new content with a new modification time, as a Kubernetes Secret update brings. */
    private static void rotate(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }
}
