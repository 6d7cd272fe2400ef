package dev.ferry.target.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What {@link Credentials#conceal} hides of an answer that echoes the request's headers, per mode. */
class CredentialsConcealTest {

    private static Secret secret(String value) {
        return Secret.of("ferry.test.secret", Optional.of(value), Optional.empty(), Clock.systemUTC()).orElseThrow();
    }

    @Test
    void basic_concealsTheHeader_theBase64Alone_andThePassword() {
        HeaderCredentials basic = HeaderCredentials.basic("ann", secret("pa55word"));
        String base64 = Base64.getEncoder().encodeToString("ann:pa55word".getBytes(StandardCharsets.UTF_8));

        assertThat(basic.conceal("{\"authorization\":\"Basic " + base64 + "\"}")).isEqualTo("{\"authorization\":\"***\"}");
        assertThat(basic.conceal("token " + base64 + " refused")).isEqualTo("token *** refused");
        assertThat(basic.conceal("wrong password pa55word for ann")).isEqualTo("wrong password *** for ann");
    }

    @Test
    void bearerAndApiKey_concealTheirValue_withOrWithoutTheScheme() {
        assertThat(HeaderCredentials.bearer(secret("t0k3n")).conceal("got 'Bearer t0k3n', then t0k3n"))
                .isEqualTo("got '***', then ***");
        assertThat(HeaderCredentials.apiKey("X-API-Key", secret("k3y")).conceal("X-API-Key: k3y"))
                .isEqualTo("X-API-Key: ***");
        assertThat(HeaderCredentials.NONE.conceal("nothing to hide")).isEqualTo("nothing to hide");
    }

    @Test
    void aSecretEchoedJsonEscapedOrUrlEncoded_isConcealedToo() {
        HeaderCredentials bearer = HeaderCredentials.bearer(secret("a/b+c=\"d"));

        assertThat(bearer.conceal("{\"token\":\"a\\/b+c=\\\"d\"}")).as("JSON, / escaped").isEqualTo("{\"token\":\"***\"}");
        assertThat(bearer.conceal("{\"token\":\"a/b+c=\\\"d\"}")).as("JSON").isEqualTo("{\"token\":\"***\"}");
        assertThat(bearer.conceal("GET /login?token=a%2Fb%2Bc%3D%22d")).as("URL-encoded")
                .isEqualTo("GET /login?token=***");
    }

    @Test
    void oauth2_concealsTheTokenInUse() {
        OAuth2Credentials oauth2 = new OAuth2Credentials(() -> new OAuth2Credentials.Token("acc3ss", Duration.ofHours(1)),
                Clock.systemUTC());
        assertThat(oauth2.conceal("Bearer acc3ss")).as("no token yet").isEqualTo("Bearer acc3ss");

        oauth2.prepare();

        assertThat(oauth2.conceal("{\"auth\":\"Bearer acc3ss\",\"token\":\"acc3ss\"}"))
                .isEqualTo("{\"auth\":\"***\",\"token\":\"***\"}");
    }
}
