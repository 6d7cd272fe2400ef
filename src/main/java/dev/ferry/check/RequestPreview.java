package dev.ferry.check;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Json;
import dev.ferry.delivery.ExternalApi;
import dev.ferry.delivery.RecordUrls;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.target.TargetConnection;
import dev.ferry.target.auth.Credentials;
import dev.ferry.target.auth.OAuth2Credentials;

/**
 * The request a record would go out as (docs/reference.md, HTTP), written for a person to read: the method and URL as
 * the delivery builds them ({@link RecordUrls}), the headers the REST client and {@code TargetHeaders} put on it, and
 * the body as indented JSON (the wire carries the same JSON without the white space). No credential is ever printed:
 * the auth header keeps its scheme and shows {@value #MASK} for the secret, and an OAuth2 token is not fetched at all
 * (that would be a request). Immutable.
 */
final class RequestPreview {

    static final String MASK = "***";
    /** Headers whose value is a scheme and a credential, in lower case. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization");
    static final String OAUTH2_TOKEN = "Bearer <token from ferry.target.oauth2.token-url>";
    private static final ObjectWriter PRETTY = Json.MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private final FerryConfig.HttpMethod method;
    private final RecordUrls urls;
    private final Map<String, String> headers;

    /** @param headers sent after Content-Type and Idempotency-Key, in this order; secrets already masked */
    RequestPreview(FerryConfig.HttpMethod method, RecordUrls urls, Map<String, String> headers) {
        this.method = method;
        this.urls = urls;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The requests of {@code ferry.target.*}, whose connection has passed {@link TargetConnection#check()}. */
    static RequestPreview of(FerryConfig config, TargetConnection target) {
        Map<String, String> headers = staticHeaders(target.headers());
        authHeader(target.credentials()).ifPresent(auth -> headers.put(auth.getKey(), auth.getValue()));
        return new RequestPreview(config.target().method(),
                new RecordUrls(config.target().url().orElseThrow(), config.target().path()), headers);
    }

    /**
     * {@code User-Agent} and {@code ferry.target.headers.*} as sent, but for a credential set as a static header
     * ({@code Authorization}, {@code Proxy-Authorization}), masked as {@link #authHeader} masks its own.
     */
    static Map<String, String> staticHeaders(Map<String, String> headers) {
        Map<String, String> shown = new LinkedHashMap<>();
        headers.forEach((name, value) -> shown.put(name,
                CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? masked(name, value) : value));
        return shown;
    }

    /**
     * The header {@code credentials} put on a request, its secret masked: {@code Authorization} keeps its scheme
     * ({@code Bearer ***}, {@code Basic ***}), any other header (an API key) shows only {@value #MASK}.
     *
     * @return empty for {@code ferry.target.auth=none}
     */
    static Optional<Map.Entry<String, String>> authHeader(Credentials credentials) {
        if (credentials instanceof OAuth2Credentials) {
            return Optional.of(Map.entry("Authorization", OAUTH2_TOKEN)); // no token until one is fetched: none is
        }
        List<Map.Entry<String, String>> added = new ArrayList<>(1);
        credentials.addHeaders((name, value) -> added.add(Map.entry(name, masked(name, value))));
        return added.stream().findFirst();
    }

    private static String masked(String header, String value) {
        int space = value.indexOf(' ');
        return CREDENTIAL_HEADERS.contains(header.toLowerCase(Locale.ROOT)) && space > 0
                ? value.substring(0, space) + " " + MASK
                : MASK;
    }

    /** Prints the request of {@code record}: request line, headers, a blank line, the body. */
    void print(SourceRecord record, PrintWriter out) {
        out.println(method + " " + urls.of(record.key()));
        out.println("Content-Type: application/json");
        out.println(ExternalApi.IDEMPOTENCY_KEY + ": " + record.idempotencyKey());
        headers.forEach((name, value) -> out.println(name + ": " + value));
        out.println();
        try {
            out.println(PRETTY.writeValueAsString(record.record()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record read as JSON cannot be written as JSON", e);
        }
    }
}
