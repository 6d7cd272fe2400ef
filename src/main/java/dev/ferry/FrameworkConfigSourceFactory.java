package dev.ferry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.ferry.delivery.GuardedSender;
import dev.ferry.delivery.RecordSender;
import dev.ferry.delivery.RequestAttempt;
import dev.ferry.target.tls.TargetTls;
import dev.ferry.readback.GuardedFetcher;
import dev.ferry.readback.RecordFetcher;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Translates the contract's {@code ferry.*} properties into the keys that SmallRye Fault Tolerance
 * and the REST client read, so that operators only ever set {@code ferry.*}. A factory rather than
 * {@code ${...}} expressions in application.properties because those frameworks want plain
 * milliseconds where ferry takes durations such as {@code 60s}.
 */
public class FrameworkConfigSourceFactory implements ConfigSourceFactory {

    static final String SENDER = ft(RecordSender.FT_METHOD);
    static final String ATTEMPT = ft(RequestAttempt.FT_METHOD);
    static final String BREAKER = ft(GuardedSender.FT_METHOD);
    static final String FETCHER = ft(RecordFetcher.FT_METHOD);
    static final String FETCH_ATTEMPT = ft(RecordFetcher.FT_ATTEMPT_METHOD);
    static final String FETCH_BREAKER = ft(GuardedFetcher.FT_METHOD);
    static final String CLIENT = "quarkus.rest-client.ferry-api.";
    static final String TOKEN_CLIENT = "quarkus.rest-client.ferry-token.";
    /** The TLS registry name under which TargetTls registers the settings of ferry.target.tls.*. */
    public static final String TLS_CONFIGURATION = TargetTls.NAME;
    static final List<String> TLS_FILES = List.of("ferry.target.tls.ca-file", "ferry.target.tls.cert-file",
            "ferry.target.tls.key-file");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> derived = new HashMap<>();
        derived.put(SENDER + "retry.max-retries", value(context, "ferry.retry.max-retries", "3"));
        long timeout = millis(context, "ferry.request.timeout", "10s");
        // The client's own timeouts come first: they fail the request and close its connection, so an
        // abandoned request can never reach the API later, next to its retry. @Timeout is the backstop
        // for an answer that trickles in too slowly for the client's idle timeout to notice.
        derived.put(CLIENT + "connect-timeout", Long.toString(timeout));
        derived.put(CLIENT + "read-timeout", Long.toString(timeout));
        derived.put(ATTEMPT + "timeout.value", Long.toString(timeout + 1000));
        derived.put(BREAKER + "circuit-breaker.delay", Long.toString(millis(context, "ferry.breaker.delay", "60s")));
        derived.put(BREAKER + "circuit-breaker.request-volume-threshold",
                value(context, "ferry.breaker.failure-threshold", "5"));
        // read-backs (ferry verify, and a run's reconciliation of ambiguous deliveries) are guarded the same way
        derived.put(FETCHER + "retry.max-retries", derived.get(SENDER + "retry.max-retries"));
        derived.put(FETCH_ATTEMPT + "timeout.value", derived.get(ATTEMPT + "timeout.value"));
        derived.put(FETCH_BREAKER + "circuit-breaker.delay", derived.get(BREAKER + "circuit-breaker.delay"));
        derived.put(FETCH_BREAKER + "circuit-breaker.request-volume-threshold",
                derived.get(BREAKER + "circuit-breaker.request-volume-threshold"));
        derived.put(CLIENT + "url", value(context, "ferry.target.url", "http://ferry-target.invalid"));
        int concurrency = Integer.parseInt(value(context, "ferry.delivery.concurrency", "8"));
        derived.put(CLIENT + "connection-pool-size", Integer.toString(concurrency + 2));
        derived.put(CLIENT + "disable-default-mapper", "true");
        // the OAuth2 token endpoint (dev.ferry.target.auth.TokenEndpoint): the same timeouts; its URL comes per call
        derived.put(TOKEN_CLIENT + "url", value(context, "ferry.target.oauth2.token-url", "http://ferry-token.invalid"));
        derived.put(TOKEN_CLIENT + "connect-timeout", Long.toString(timeout));
        derived.put(TOKEN_CLIENT + "read-timeout", Long.toString(timeout));
        derived.put(TOKEN_CLIENT + "disable-default-mapper", "true");
        // ferry.target.tls.*: TargetTls registers its TLS configuration under that name when the application starts,
        // on the same condition (TargetTls.of)
        if (TLS_FILES.stream().anyMatch(name -> !value(context, name, "").isEmpty())
                || value(context, "ferry.target.tls.verify-hostname", "true").equalsIgnoreCase("false")) {
            derived.put(CLIENT + "tls-configuration-name", TLS_CONFIGURATION);
            derived.put(TOKEN_CLIENT + "tls-configuration-name", TLS_CONFIGURATION);
        }
        return List.of(new PropertiesConfigSource(derived, "ferry-derived", 200));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(200);
    }

    /** The prefix of SmallRye Fault Tolerance's keys for one method, {@code <class>/<method>}. */
    private static String ft(String method) {
        return "quarkus.fault-tolerance.\"" + method + "\".";
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? fallback : value.getValue().trim();
    }

    private static long millis(ConfigSourceContext context, String name, String fallback) {
        String text = value(context, name, fallback);
        try {
            Duration duration = DurationConverter.parseDuration(text);
            return duration == null ? DurationConverter.parseDuration(fallback).toMillis() : duration.toMillis();
        } catch (IllegalArgumentException e) {
            // FerryConfig reports the bad value with its property name; keep the framework keys valid meanwhile
            return DurationConverter.parseDuration(fallback).toMillis();
        }
    }
}
