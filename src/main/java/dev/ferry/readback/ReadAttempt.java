package dev.ferry.readback;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Json;
import dev.ferry.delivery.Answers;
import dev.ferry.delivery.ExternalApi;
import dev.ferry.delivery.FaultClassifier;
import dev.ferry.delivery.RateLimiter;
import dev.ferry.target.TargetConnection;
import dev.ferry.target.auth.Credentials;

/** One read-back request, classified as a delivery's answer is; {@code @Timeout} as a delivery attempt's. */
@ApplicationScoped
public class ReadAttempt {

    private final ExternalApi api;
    private final FaultClassifier classifier;
    private final Credentials credentials;
    /** Four times the largest record ferry sends: room for what the API adds, and a bound on memory. */
    private final int maxBytes;

    public ReadAttempt(@RestClient ExternalApi api, FaultClassifier classifier, TargetConnection target,
            FerryConfig config) {
        this.api = api;
        this.classifier = classifier;
        this.credentials = target.credentials();
        this.maxBytes = (int) Math.min(Integer.MAX_VALUE - 8L, 4L * config.record().maxBytes());
    }

    /**
     * @param rate the read-backs' rate limit, told when the request goes out
     * @return the stored record, a text node when the answer is not JSON or larger than four records
     *         ({@code ferry.record.max-bytes}, read no further), or null for 404
     */
    @Timeout(value = 10_000, unit = ChronoUnit.MILLIS)
    public JsonNode get(URI url, RateLimiter rate) {
        Response response;
        rate.sent();
        try {
            response = classifier.send(credentials, () -> api.get(url)); // the same auth as deliveries
        } catch (ProcessingException | IllegalStateException e) {
            throw classifier.noAnswer(e);
        }
        try (response) {
            if (response.getStatus() == 404) {
                return null;
            }
            classifier.check(response, credentials);
            byte[] bytes = Answers.read(response, maxBytes + 1);
            if (bytes.length > maxBytes) { // a collection, or a page: not one record
                return TextNode.valueOf("(larger than " + maxBytes + " bytes, not read)");
            }
            String body = new String(bytes, StandardCharsets.UTF_8);
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException notJson) {
                return TextNode.valueOf("(not JSON) " + body.substring(0, Math.min(body.length(), 200)));
            }
        }
    }
}
