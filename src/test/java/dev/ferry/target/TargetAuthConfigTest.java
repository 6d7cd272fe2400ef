package dev.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.target.auth.Credentials;
import dev.ferry.target.auth.OAuth2Credentials;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@code ferry.target.auth}, {@code .headers} as {@link TargetConnection} reads them at start, from properties and
 * environment variables through SmallRye Config as the application does: what each mode sends, and the mistakes
 * that must stop a run with exit 78 naming the property.
 */
public class TargetAuthConfigTest {

    @Test
    void noAuthSet_withABearerToken_sendsBearer_andWithoutOne_sendsNothing() {
        assertThat(headers(Map.of("ferry.target.bearer-token", "t0ken"))).containsEntry("Authorization", "Bearer t0ken");
        assertThat(headers(Map.of())).doesNotContainKey("Authorization");
    }

    @Test
    void bearerTokenFile_isRead_andItsTrailingNewlineDropped(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");

        assertThat(headers(Map.of("ferry.target.bearer-token-file", file.toString())))
                .containsEntry("Authorization", "Bearer from-file");
    }

    @Test
    void apiKey_isSentInItsHeader_X_API_Key_byDefault() {
        assertThat(headers(Map.of("ferry.target.auth", "api-key", "ferry.target.api-key.value", "k3y")))
                .containsEntry("X-API-Key", "k3y").doesNotContainKey("Authorization");
        assertThat(headers(Map.of("ferry.target.auth", "api-key", "ferry.target.api-key.value", "k3y",
                "ferry.target.api-key.header", "Api-Token"))).containsEntry("Api-Token", "k3y");
    }

    @Test
    void basic_sendsUserAndPassword_base64() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("ops:pässword".getBytes(StandardCharsets.UTF_8));

        assertThat(headers(Map.of("ferry.target.auth", "basic", "ferry.target.basic.username", "ops",
                "ferry.target.basic.password", "pässword"))).containsEntry("Authorization", expected);
    }

    @Test
    void none_sendsNothing_evenWithATokenSet() {
        assertThat(headers(Map.of("ferry.target.auth", "none", "ferry.target.bearer-token", "t0ken")))
                .doesNotContainKey("Authorization");
    }

    @Test
    void oauth2_withItsFields_buildsTheClientCredentialsGrant() {
        Credentials credentials = credentials(Map.of("ferry.target.auth", "oauth2", "ferry.target.oauth2.token-url",
                "https://login.example.com/token", "ferry.target.oauth2.client-id", "ferry",
                "ferry.target.oauth2.client-secret", "s3cret"));

        assertThat(credentials).isInstanceOf(OAuth2Credentials.class);
    }

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource({
            "bearer, ferry.target.bearer-token",
            "api-key, ferry.target.api-key.value",
            "basic, ferry.target.basic.username",
            "oauth2, ferry.target.oauth2.token-url" })
    void mode_withoutItsFields_isAConfigurationError_namingTheMissingProperty(String mode, String missing) {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                () -> credentials(Map.of("ferry.target.auth", mode)));

        assertThat(error.property()).isEqualTo(missing);
    }

    @Test
    void oauth2_withoutClientIdOrSecret_namesWhatIsMissing() {
        Map<String, String> partial = Map.of("ferry.target.auth", "oauth2", "ferry.target.oauth2.token-url",
                "https://login.example.com/token", "ferry.target.oauth2.client-id", "ferry");
        assertThat(catchThrowableOfType(ConfigurationError.class, () -> credentials(partial)).property())
                .isEqualTo("ferry.target.oauth2.client-secret");
    }

    @Test
    void secretAndItsFile_bothSet_isAConfigurationError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "other");

        ConfigurationError error = catchThrowableOfType(ConfigurationError.class, () -> credentials(Map.of(
                "ferry.target.auth", "basic", "ferry.target.basic.username", "ops", "ferry.target.basic.password",
                "pw", "ferry.target.basic.password-file", file.toString())));

        assertThat(error.property()).isEqualTo("ferry.target.basic.password");
    }

    @Test
    void secretWithAControlCharacter_isRefused_withoutShowingIt() {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                () -> credentials(Map.of("ferry.target.bearer-token", "abc\u0007def")));

        assertThat(error.property()).isEqualTo("ferry.target.bearer-token");
        assertThat(error.getMessage()).doesNotContain("abc").doesNotContain("def");
    }

    @Test
    void urlWithAUserAndPassword_isAConfigurationError_withoutShowingThem() {
        for (String url : List.of("https://ops:s3cret@api.example.com/", "https://t0k3n@api.example.com")) {
            ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                    () -> TargetConnection.checkUrl("ferry.target.url", URI.create(url)));

            assertThat(error).as(url).isNotNull();
            assertThat(error.property()).isEqualTo("ferry.target.url");
            assertThat(error.getMessage()).contains("ferry.target.auth=basic").doesNotContain("s3cret")
                    .doesNotContain("t0k3n");
        }
        TargetConnection.checkUrl("ferry.target.url", URI.create("https://api.example.com/v1?a=b@c"));
    }

    @Test
    void urlThatIsNotAbsoluteHttpOrHttps_isAConfigurationError() {
        for (String url : List.of("htps://api.example.com", "ftp://api.example.com/", "/records", "api.example.com",
                "http:/api.example.com")) {
            ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                    () -> TargetConnection.checkUrl("ferry.target.url", URI.create(url)));

            assertThat(error).as(url).isNotNull();
            assertThat(error.property()).isEqualTo("ferry.target.url");
        }
        TargetConnection.checkUrl("ferry.target.url", URI.create("HTTP://api.example.com:8080"));
    }

    @Test
    void tokenUrlThatIsNotHttps_isAConfigurationError_namingIt() {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class, () -> credentials(Map.of(
                "ferry.target.auth", "oauth2", "ferry.target.oauth2.token-url", "htps://login.example.com/token",
                "ferry.target.oauth2.client-id", "ferry", "ferry.target.oauth2.client-secret", "s3cret")));

        assertThat(error.property()).isEqualTo("ferry.target.oauth2.token-url");
    }

    @Test
    void staticHeaders_andUserAgent_areSent_fromPropertiesAndEnvironment() {
        Map<String, String> headers = headers(Map.of("ferry.target.headers.x-tenant", "acme"),
                Map.of("FERRY_TARGET_HEADERS_X_REQUEST_SOURCE", "batch"));

        assertThat(headers).containsEntry("User-Agent", "ferry/1.2.3").containsEntry("x-tenant", "acme");
        assertThat(headers).as("the environment spells '-' as '_', which arrives as '.'")
                .containsEntry("x-request-source", "batch");
    }

    @Test
    void staticUserAgent_replacesFerrysOwn() {
        assertThat(headers(Map.of("ferry.target.headers.User-Agent", "partner-agreed/1")))
                .containsExactly(Map.entry("User-Agent", "partner-agreed/1"));
    }

    @ParameterizedTest
    @CsvSource({ "Idempotency-Key", "content-type", "Authorization" })
    void staticHeader_thatFerrySetsItself_isAConfigurationError(String name) {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                () -> headers(Map.of("ferry.target.headers." + name, "x", "ferry.target.bearer-token", "t")));

        assertThat(error.property()).isEqualTo("ferry.target.headers." + name);
    }

    @Test
    void staticHeaderValue_withAControlCharacter_isAConfigurationError() {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                () -> headers(Map.of("ferry.target.headers.x-tenant", "acme\r\nX-Evil: 1")));

        assertThat(error.property()).isEqualTo("ferry.target.headers.x-tenant");
    }

    static Map<String, String> headers(Map<String, String> properties) {
        return headers(properties, Map.of());
    }

    static Map<String, String> headers(Map<String, String> properties, Map<String, String> environment) {
        FerryConfig config = config(properties, environment);
        Credentials credentials = credentials(config);
        Map<String, String> sent = new HashMap<>(TargetConnection.headers(config.target(), credentials, "ferry/1.2.3"));
        credentials.prepare();
        credentials.addHeaders(sent::put);
        return sent;
    }

    static Credentials credentials(Map<String, String> properties) {
        return credentials(config(properties, Map.of()));
    }

    static Credentials credentials(FerryConfig config) {
        return TargetConnection.credentials(config.target(), Clock.systemUTC(), null);
    }

    /** {@link FerryConfig} from these properties and environment variables, as the application reads them. */
    public static FerryConfig config(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(FerryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "60s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(properties, "test", 200), new EnvConfigSource(environment, 300))
                .build().getConfigMapping(FerryConfig.class);
    }
}
