package dev.ferry.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A WireMock stub of an API that honours {@code Idempotency-Key} as Stripe's does: the first request under a key is
 * applied (its body stored under its URL) and its answer remembered; any later request under the same key gets that
 * answer again and changes nothing.
 */
public final class IdempotentApi implements ResponseDefinitionTransformerV2 {

    static final String NAME = "idempotent-api";

    /** What the API holds: URL path → the last body applied. */
    final Map<String, String> stored = new ConcurrentHashMap<>();
    /** Idempotency-Key → the status first answered under it. */
    final Map<String, Integer> answered = new ConcurrentHashMap<>();

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
        String key = request.getHeader("Idempotency-Key");
        int status = answered.computeIfAbsent(key, first -> {
            stored.put(request.getUrl(), request.getBodyAsString());
            return 200;
        });
        return new ResponseDefinitionBuilder().withStatus(status).build();
    }
}
