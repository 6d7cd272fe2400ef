package dev.ferry.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;

/** The HTTP side of the FlakyApi tests: requests shaped like ferry's (percent-encoded key, Idempotency-Key). */
final class FlakyApiClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;

    FlakyApiClient(FlakyApi api) {
        this.baseUrl = api.baseUrl();
    }

    HttpResponse<String> put(String key, String idempotencyKey, String body) throws IOException, InterruptedException {
        return put(key, idempotencyKey, body, Duration.ofSeconds(5));
    }

    HttpResponse<String> put(String key, String idempotencyKey, String body, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(putRequest(key, idempotencyKey, body, timeout), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> putAsync(String key, String idempotencyKey, String body) {
        return http.sendAsync(putRequest(key, idempotencyKey, body, Duration.ofSeconds(5)),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path, Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getRecord(String key) throws IOException, InterruptedException {
        return get("/records/" + encode(key));
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send("POST", path);
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = request(path, Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code DELETE /records/{key}} with an Idempotency-Key, as ferry sends it for a key a snapshot left out. */
    HttpResponse<String> delete(String key, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = request("/records/" + encode(key), Duration.ofSeconds(5))
                .header("Idempotency-Key", idempotencyKey).DELETE().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) {
        try {
            return Json.read(get(path).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest putRequest(String key, String idempotencyKey, String body, Duration timeout) {
        HttpRequest.Builder request = request("/records/" + encode(key), timeout)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    }

    /** As ferry's RunContext encodes a key. */
    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
