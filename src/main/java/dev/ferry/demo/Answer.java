package dev.ferry.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/** One HTTP answer of {@link FlakyApi}: status, JSON body, extra headers. */
record Answer(int status, String body, Map<String, String> headers) {

    static final String REPLAYED = "Idempotent-Replayed";

    static Answer of(int status, Object body) {
        return new Answer(status, Json.write(body), Map.of());
    }

    static Answer error(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", status).put("error", message);
        return of(status, body);
    }

    /** A page that is not JSON: a proxy's or a gateway's. */
    static Answer html(int status, String page) {
        return new Answer(status, page, Map.of("Content-Type", "text/html"));
    }

    /** A remembered answer, given again for a known Idempotency-Key. */
    Answer replayed() {
        return with(REPLAYED, "true");
    }

    boolean isReplay() {
        return headers.containsKey(REPLAYED);
    }

    Answer with(String header, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(header, value);
        return new Answer(status, body, Map.copyOf(all));
    }
}
