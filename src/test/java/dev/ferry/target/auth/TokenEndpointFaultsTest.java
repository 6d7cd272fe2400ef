package dev.ferry.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ConnectException;
import java.util.Map;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.core.ConfigurationError;
import dev.ferry.delivery.CredentialsRefused;
import dev.ferry.delivery.FaultClassifier;
import dev.ferry.delivery.TransientFault;
import dev.ferry.target.TargetAuthConfigTest;

/** What {@link FaultClassifier#send} makes of each way the token endpoint can fail to give a token. */
class TokenEndpointFaultsTest {

    final FaultClassifier classifier = new FaultClassifier(TargetAuthConfigTest.config(Map.of(), Map.of()), java.time.Clock.systemUTC());

    @ParameterizedTest(name = "HTTP {0} → {1}")
    @CsvSource({
            "0, TransientFault", "503, TransientFault", "429, TransientFault", "500, TransientFault",
            "400, CredentialsRefused", "401, CredentialsRefused", "403, CredentialsRefused",
            "404, ConfigurationError", "405, ConfigurationError", "301, ConfigurationError" })
    void tokenEndpointFailure_becomesTheFaultItMeans(int status, String expected) {
        TokenEndpointFailure failure = new TokenEndpointFailure(status, status == 401 ? "invalid_client" : "",
                status == 0 ? new ProcessingException(new ConnectException("Connection refused")) : null);

        Throwable thrown = catchThrowable(() -> classifier.send(failing(failure), () -> Response.ok().build()));

        Class<?> type = switch (expected) {
            case "TransientFault" -> TransientFault.class;
            case "CredentialsRefused" -> CredentialsRefused.class;
            default -> ConfigurationError.class;
        };
        assertThat(thrown).isInstanceOf(type).hasMessageContaining("token");
        if (status == 401) {
            assertThat(thrown).hasMessageContaining("invalid_client");
        }
        if (thrown instanceof ConfigurationError error) {
            assertThat(error.property()).isEqualTo("ferry.target.oauth2.token-url");
        }
    }

    /** Credentials whose token endpoint fails as given. */
    private static Credentials failing(TokenEndpointFailure failure) {
        return new OAuth2Credentials(() -> {
            throw failure;
        }, java.time.Clock.systemUTC());
    }
}
