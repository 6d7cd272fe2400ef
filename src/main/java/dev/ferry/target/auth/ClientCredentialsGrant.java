package dev.ferry.target.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Json;

/**
 * The OAuth2 client-credentials grant (RFC 6749 §4.4) against {@code ferry.target.oauth2.token-url}. No answer or a
 * status other than 2xx is a {@link TokenEndpointFailure} (which {@code FaultClassifier} turns into an outage, a
 * refused client, a TLS refusal or a configuration error); a 2xx answer without a usable bearer token is a
 * {@link ConfigurationError} naming the token URL. The client secret is read at each fetch, so a rotated secret
 * file is used from the next token on; neither it nor a token ever appears in a message.
 * <p>
 * Why not quarkus-oidc-client: it is not published at the Quarkus version this project builds with, and its
 * configuration is fixed when the application starts, where ferry re-reads a rotated secret file.
 */
public final class ClientCredentialsGrant implements OAuth2Credentials.TokenSource {

    static final String PROPERTY = "ferry.target.oauth2.token-url";
    /** The most of a token answer read: a token is a few KiB; an answer without end must not fill the heap. */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final TokenEndpoint endpoint;
    private final URI url;
    private final String clientId;
    private final Secret clientSecret;
    private final Optional<String> scope;
    private final Optional<String> audience;
    private final FerryConfig.ClientAuth clientAuth;

    public ClientCredentialsGrant(TokenEndpoint endpoint, URI url, String clientId, Secret clientSecret,
            Optional<String> scope, Optional<String> audience, FerryConfig.ClientAuth clientAuth) {
        this.endpoint = endpoint;
        this.url = url;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.audience = audience;
        this.clientAuth = clientAuth;
    }

    @Override
    public OAuth2Credentials.Token fetch() {
        String secret = clientSecret.value();
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        scope.ifPresent(s -> form.append("&scope=").append(encode(s)));
        audience.ifPresent(a -> form.append("&audience=").append(encode(a)));
        String authorization = null;
        if (clientAuth == FerryConfig.ClientAuth.POST) {
            form.append("&client_id=").append(encode(clientId)).append("&client_secret=").append(encode(secret));
        } else {
            authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (encode(clientId) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8));
        }
        Response response;
        try {
            response = endpoint.token(url, authorization, form.toString().getBytes(StandardCharsets.UTF_8));
        } catch (ProcessingException | IllegalStateException e) {
            throw new TokenEndpointFailure(0, "", e); // a TLS refusal among them too: FaultClassifier tells
        }
        try (response) {
            return tokenOf(response);
        }
    }

    private OAuth2Credentials.Token tokenOf(Response response) {
        int status = response.getStatus();
        if (status < 200 || status >= 300) {
            throw new TokenEndpointFailure(status, errorCode(response), null);
        }
        byte[] body;
        try {
            body = start(response);
        } catch (IOException | RuntimeException e) {
            throw new TokenEndpointFailure(0, "", e); // cut short: as a connection lost
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw new ConfigurationError(PROPERTY, "the token endpoint's answer is larger than "
                    + MAX_ANSWER_BYTES / 1024 + " KiB: not a token");
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationError(PROPERTY, "the token endpoint's answer is not JSON");
        }
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new ConfigurationError(PROPERTY, "the token endpoint's answer has no access_token");
        }
        String type = answer.path("token_type").asText("Bearer");
        if (!type.equalsIgnoreCase("bearer")) {
            throw new ConfigurationError(PROPERTY, "the token endpoint issues '" + type
                    + "' tokens; ferry sends bearer tokens");
        }
        if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigurationError(PROPERTY, "the token endpoint's access_token holds a control character");
        }
        long seconds = answer.path("expires_in").asLong(0);
        return new OAuth2Credentials.Token(token, seconds > 0 ? Duration.ofSeconds(seconds) : null);
    }

    /** The OAuth2 {@code error} code of a refusal, e.g. {@code invalid_client}; not its free-text description. */
    private static String errorCode(Response response) {
        try {
            String code = Json.MAPPER.readTree(start(response)).path("error").asText("");
            return ERROR_CODE.matcher(code).matches() ? code : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The answer's first {@link #MAX_ANSWER_BYTES} bytes and one more, to tell an answer that goes on. */
    private static byte[] start(Response response) throws IOException {
        if (!response.hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = response.readEntity(InputStream.class)) {
            return in.readNBytes(MAX_ANSWER_BYTES + 1);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
