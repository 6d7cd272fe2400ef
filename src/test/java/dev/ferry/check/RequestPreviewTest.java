package dev.ferry.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Json;
import dev.ferry.delivery.RecordUrls;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.target.auth.HeaderCredentials;
import dev.ferry.target.auth.OAuth2Credentials;
import dev.ferry.target.auth.Secret;

/** What {@code ferry check-config} prints of a request: every header a delivery carries, no secret, the body as is. */
class RequestPreviewTest {

    static final String SECRET = "s3cr3t-Value";

    static Secret secret() {
        return Secret.of("ferry.test.secret", Optional.of(SECRET), Optional.empty(), Clock.systemUTC()).orElseThrow();
    }

    @Test
    void bearerToken_showsTheScheme_masksTheToken() {
        assertThat(RequestPreview.authHeader(HeaderCredentials.bearer(secret())))
                .contains(Map.entry("Authorization", "Bearer ***"));
    }

    @Test
    void basic_showsTheScheme_masksUserAndPassword() {
        assertThat(RequestPreview.authHeader(HeaderCredentials.basic("batch-user", secret())))
                .contains(Map.entry("Authorization", "Basic ***"));
    }

    @Test
    void apiKey_showsItsHeader_masksTheWholeValue() {
        assertThat(RequestPreview.authHeader(HeaderCredentials.apiKey("X-Api-Key", secret())))
                .contains(Map.entry("X-Api-Key", "***"));
    }

    @Test
    void noAuth_addsNoHeader() {
        assertThat(RequestPreview.authHeader(HeaderCredentials.NONE)).isEmpty();
    }

    @Test
    void oauth2_namesWhereTheTokenWouldComeFrom_withoutFetchingOne() {
        AtomicInteger fetches = new AtomicInteger();
        OAuth2Credentials oauth2 = new OAuth2Credentials(() -> {
            fetches.incrementAndGet();
            return new OAuth2Credentials.Token("tok-" + SECRET, null);
        }, Clock.systemUTC());

        assertThat(RequestPreview.authHeader(oauth2))
                .contains(Map.entry("Authorization", "Bearer <token from ferry.target.oauth2.token-url>"));
        assertThat(fetches).hasValue(0);
    }

    @Test
    void staticCredentialHeaders_areMaskedLikeTheAuthHeader_theOthersShownAsSent() {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("User-Agent", "ferry/1.2.3");
        set.put("authorization", "Bearer " + SECRET);
        set.put("Proxy-Authorization", "Basic " + SECRET);
        set.put("X-Tenant", "acme");

        assertThat(RequestPreview.staticHeaders(set)).containsExactly(Map.entry("User-Agent", "ferry/1.2.3"),
                Map.entry("authorization", "Bearer ***"), Map.entry("Proxy-Authorization", "Basic ***"),
                Map.entry("X-Tenant", "acme"));
    }

    @Test
    void print_requestLineHeadersAndBody_keyEncoded_numbersExact() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "ferry/1.2.3");
        headers.put("X-Tenant", "acme");
        headers.put("Authorization", "Bearer ***");
        RequestPreview preview = new RequestPreview(FerryConfig.HttpMethod.PATCH,
                new RecordUrls(URI.create("https://api.example.com/v1/"), "/orders/{key}"), headers);
        ObjectNode body = (ObjectNode) Json.read("{\"id\":\"DE/1001\",\"price\":{\"amount\":9.50},\"tags\":[\"a\"]}");
        SourceRecord record = new SourceRecord("orders.csv", 2, 2, 40, "DE/1001", body, "0123abcd", "orders.csv:2",
                null, null, SourceRecord.Operation.UPSERT);
        StringWriter text = new StringWriter();

        preview.print(record, new PrintWriter(text, true));

        assertThat(text.toString().lines()).containsExactly(
                "PATCH https://api.example.com/v1/orders/DE%2F1001",
                "Content-Type: application/json",
                "Idempotency-Key: 0123abcd",
                "User-Agent: ferry/1.2.3",
                "X-Tenant: acme",
                "Authorization: Bearer ***",
                "",
                "{",
                "  \"id\": \"DE/1001\",",
                "  \"price\": {",
                "    \"amount\": 9.50",
                "  },",
                "  \"tags\": [ \"a\" ]",
                "}");
    }
}
