package dev.ferry.target.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A WireMock extension playing an OAuth2 token endpoint and an API that takes its tokens:
 * <ul>
 * <li>{@code POST /token}: HTTP Basic with client {@link #CLIENT_ID} and the accepted secret gets a new token
 * {@code tok-<n>-<random>} ({@code expires_in} one hour, as a real endpoint would say); another secret gets
 * 401 {@code invalid_client}.</li>
 * <li>{@code PUT /records/…}: a current token is accepted {@link #USES} times, then the API answers 401 to it: the
 * token "expired" (or was revoked) earlier than it said, as happens to long runs. Counted in uses, not time, so the
 * test needs no clock. Unknown tokens get 401 too.</li>
 * <li>{@code POST /control/forget-tokens}: every token issued so far is refused from now on;
 * {@code POST /control/accept-secret} with the secret as body: the endpoint accepts that secret only.</li>
 * </ul>
 */
public class ExpiringTokenApi implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "expiring-token-api";
    public static final String CLIENT_ID = "ferry-client";
    public static final String SECRET = "client-s3cret-value";
    public static final int USES = 20;

    private final Map<String, AtomicInteger> uses = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile String acceptedSecret = SECRET;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        String path = request.getUrl();
        if (path.startsWith("/control/forget-tokens")) {
            uses.clear();
            return answer(204, null);
        }
        if (path.startsWith("/control/accept-secret")) {
            acceptedSecret = request.getBodyAsString();
            return answer(204, null);
        }
        if (path.startsWith("/token")) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + acceptedSecret)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(request.getHeader("Authorization"))
                    || !request.getBodyAsString().contains("grant_type=client_credentials")) {
                return answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
            }
            String token = "tok-" + issued.incrementAndGet() + "-" + UUID.randomUUID();
            uses.put(token, new AtomicInteger());
            return answer(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        }
        String authorization = String.valueOf(request.getHeader("Authorization"));
        AtomicInteger count = authorization.startsWith("Bearer ") ? uses.get(authorization.substring(7)) : null;
        if (count == null || count.incrementAndGet() > USES) {
            return answer(401, "{\"error\":\"invalid_token\"}");
        }
        return answer(200, null);
    }

    private static ResponseDefinition answer(int status, String json) {
        return json == null ? new ResponseDefinition(status, "")
                : ResponseDefinitionBuilder.responseDefinition().withStatus(status).withHeader("Content-Type",
                        "application/json").withBody(json).build();
    }
}
