package dev.ferry.target.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Credentials that are one header built from configured secrets: a bearer token, an API key, HTTP Basic, or nothing
 * at all. Nothing to renew: a 401 counts at once. A secret read from a file is read again when the file changes
 * ({@link Secret}), so a rotated token is used from the next request on.
 */
public final class HeaderCredentials implements Credentials {

    /** {@code ferry.target.auth=none}: requests carry no credentials. */
    public static final HeaderCredentials NONE = new HeaderCredentials(null, () -> null, () -> null);

    private final String header;
    private final Supplier<String> value;
    /** The configured secret itself, which the header value may not show as it is (Basic). */
    private final Supplier<String> secret;

    private HeaderCredentials(String header, Supplier<String> value, Supplier<String> secret) {
        this.header = header;
        this.value = value;
        this.secret = secret;
    }

    /** {@code Authorization: Bearer <token>}. */
    public static HeaderCredentials bearer(Secret token) {
        return new HeaderCredentials("Authorization", () -> "Bearer " + token.value(), token::value);
    }

    /** {@code <header>: <key>}. */
    public static HeaderCredentials apiKey(String header, Secret key) {
        return new HeaderCredentials(header, key::value, key::value);
    }

    /** {@code Authorization: Basic base64(user:password)} (RFC 7617, UTF-8). */
    public static HeaderCredentials basic(String username, Secret password) {
        return new HeaderCredentials("Authorization", () -> "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password.value()).getBytes(StandardCharsets.UTF_8)), password::value);
    }

    /** The header these credentials set, or null for none. */
    public String header() {
        return header;
    }

    @Override
    public long prepare() {
        return 0;
    }

    @Override
    public void addHeaders(BiConsumer<String, String> add) {
        if (header != null) {
            add.accept(header, value.get());
        }
    }

    @Override
    public boolean renew(long stamp) {
        return false;
    }

    @Override
    public String conceal(String text) {
        return header == null ? text : Credentials.conceal(text, value.get(), secret.get());
    }

    @Override
    public String toString() {
        return header == null ? "no credentials" : "credentials in " + header;
    }
}
