package dev.ferry.target;

import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.target.auth.ClientCredentialsGrant;
import dev.ferry.target.auth.Credentials;
import dev.ferry.target.auth.HeaderCredentials;
import dev.ferry.target.auth.OAuth2Credentials;
import dev.ferry.target.auth.Secret;
import dev.ferry.target.auth.TokenEndpoint;
import dev.ferry.target.tls.TargetTls;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * What every request to the API carries besides the record (docs/reference.md, HTTP): the credentials of
 * {@code ferry.target.auth}, the headers of {@code ferry.target.headers.*} and {@code User-Agent: ferry/<version>},
 * over the TLS settings of {@code ferry.target.tls.*}.
 * <p>
 * All of it is read when the application starts, and the TLS settings are registered then, before any REST client is
 * built. A mistake is kept and thrown by {@link #check()}, which {@code run} and {@code verify} call first: they exit
 * 78 naming the property, while commands that never reach the API ({@code status}) are not held up by it.
 */
@ApplicationScoped
public class TargetConnection {

    /** Headers that ferry sets itself and a static header may not replace. */
    static final Set<String> RESERVED = Set.of("idempotency-key", "content-type", "content-length", "host",
            "transfer-encoding", "connection");

    private final FerryConfig config;
    private final TokenEndpoint tokenEndpoint;
    private final Clock clock;
    private final TlsConfigurationRegistry registry;
    private final String userAgent;
    private volatile Credentials credentials = HeaderCredentials.NONE;
    private volatile Map<String, String> headers = Map.of();
    private volatile ConfigurationError problem;

    public TargetConnection(FerryConfig config, @RestClient TokenEndpoint tokenEndpoint, Clock clock,
            TlsConfigurationRegistry registry,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.config = config;
        this.tokenEndpoint = tokenEndpoint;
        this.clock = clock;
        this.registry = registry;
        this.userAgent = "ferry/" + version;
    }

    void onStart(@Observes StartupEvent start) {
        try {
            config.target().url().ifPresent(url -> checkUrl("ferry.target.url", url));
            TargetTls.of(config.target().tls()).ifPresent(tls -> registry.register(TargetTls.NAME, tls));
            Credentials chosen = credentials(config.target(), clock, tokenEndpoint);
            headers = headers(config.target(), chosen, userAgent);
            credentials = chosen;
        } catch (ConfigurationError error) {
            problem = error;
        }
    }

    /** @throws ConfigurationError what is wrong with {@code ferry.target.auth}, {@code .headers} or {@code .tls} */
    public void check() {
        if (problem != null) {
            throw problem;
        }
    }

    /** The credentials of {@code ferry.target.auth}. */
    public Credentials credentials() {
        return credentials;
    }

    /** {@code User-Agent} and the static headers, in the order they are set (a static header may replace the agent). */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * {@code ferry.target.url} or {@code ferry.target.oauth2.token-url}, checked: an {@code http} or {@code https}
     * URL with a host (the REST client sent any other scheme, a typo of {@code https} too, as plain HTTP, credentials
     * included, and failed every record on a relative one), and without credentials (a {@code user:password@} would
     * be sent as Basic by the HTTP client, but shown with the URL in every log line and in {@code check-config}).
     */
    static void checkUrl(String property, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new ConfigurationError(property, "must be an http:// or https:// URL with a host, e.g. "
                    + "https://api.example.com");
        }
        if (url.getRawUserInfo() != null) {
            throw new ConfigurationError(property, "holds a user or password before '@' (not shown); "
                    + "credentials do not belong in a URL, which ferry logs (HTTP Basic to the API: "
                    + "ferry.target.auth=basic with ferry.target.basic.username and ferry.target.basic.password)");
        }
    }

    /** The credentials that {@code ferry.target.auth} names, checked: each mode needs its fields. */
    static Credentials credentials(FerryConfig.Target target, Clock clock, TokenEndpoint endpoint) {
        Optional<Secret> bearer = Secret.of("ferry.target.bearer-token", target.bearerToken(),
                target.bearerTokenFile(), clock);
        FerryConfig.AuthMode mode = target.auth().orElse(bearer.isPresent() ? FerryConfig.AuthMode.BEARER
                : FerryConfig.AuthMode.NONE);
        return switch (mode) {
            case NONE -> HeaderCredentials.NONE;
            case BEARER -> HeaderCredentials.bearer(bearer.orElseThrow(() -> needsSecret("bearer",
                    "ferry.target.bearer-token")));
            case API_KEY -> {
                String header = target.apiKey().header();
                if (!isToken(header)) {
                    throw new ConfigurationError("ferry.target.api-key.header", "'" + header
                            + "' is not a header name");
                }
                yield HeaderCredentials.apiKey(header, Secret.of("ferry.target.api-key.value", target.apiKey().value(),
                        target.apiKey().valueFile(), clock).orElseThrow(() -> needsSecret("api-key",
                                "ferry.target.api-key.value")));
            }
            case BASIC -> {
                String user = target.basic().username().orElseThrow(() -> needs("basic", "ferry.target.basic.username"));
                if (user.contains(":") || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new ConfigurationError("ferry.target.basic.username", "may not hold ':' or control "
                            + "characters");
                }
                yield HeaderCredentials.basic(user, Secret.of("ferry.target.basic.password",
                        target.basic().password(), target.basic().passwordFile(), clock)
                        .orElseThrow(() -> needsSecret("basic", "ferry.target.basic.password")));
            }
            case OAUTH2 -> {
                FerryConfig.OAuth2 oauth2 = target.oauth2();
                URI tokenUrl = oauth2.tokenUrl().orElseThrow(() -> needs("oauth2", "ferry.target.oauth2.token-url"));
                checkUrl("ferry.target.oauth2.token-url", tokenUrl);
                String clientId = oauth2.clientId().orElseThrow(() -> needs("oauth2", "ferry.target.oauth2.client-id"));
                Secret secret = Secret.of("ferry.target.oauth2.client-secret", oauth2.clientSecret(),
                        oauth2.clientSecretFile(), clock).orElseThrow(() -> needsSecret("oauth2",
                                "ferry.target.oauth2.client-secret"));
                yield new OAuth2Credentials(new ClientCredentialsGrant(endpoint, tokenUrl, clientId, secret,
                        oauth2.scope(), oauth2.audience(), oauth2.clientAuth()), clock);
            }
        };
    }

    /**
     * User-Agent, then {@code ferry.target.headers.*}, checked: names are tokens, values hold no control character.
     * A '.' in a name is sent as '-', so that headers can be set from environment variables.
     */
    static Map<String, String> headers(FerryConfig.Target target, Credentials credentials, String userAgent) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("User-Agent", userAgent);
        String authHeader = credentials instanceof HeaderCredentials h ? h.header()
                : credentials instanceof OAuth2Credentials ? "Authorization" : null;
        target.headers().forEach((key, value) -> {
            String property = "ferry.target.headers." + key;
            // an environment variable cannot spell '-': FERRY_TARGET_HEADERS_X_TENANT arrives as the key x.tenant
            String name = key.replace('.', '-');
            String lower = name.toLowerCase(Locale.ROOT);
            if (!isToken(name)) {
                throw new ConfigurationError(property, "'" + name + "' is not a header name");
            }
            if (RESERVED.contains(lower) || lower.equals(authHeader == null ? null : authHeader.toLowerCase(Locale.ROOT))) {
                throw new ConfigurationError(property, "ferry sets " + name + " itself");
            }
            if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new ConfigurationError(property, "holds a control character");
            }
            all.remove(all.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(""));
            all.put(name, value);
        });
        return Collections.unmodifiableMap(all);
    }

    private static ConfigurationError needs(String mode, String property) {
        return new ConfigurationError(property, "not set; ferry.target.auth=" + mode + " needs it");
    }

    private static ConfigurationError needsSecret(String mode, String property) {
        return new ConfigurationError(property, "not set; ferry.target.auth=" + mode + " needs it, or " + property
                + "-file");
    }

    /** An RFC 9110 token: what a header name may be. */
    static boolean isToken(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }
}
