package dev.ferry.delivery;

import java.net.URI;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;

/**
 * The compliance audit trail ({@code ferry.log.audit}): one line per request attempt on the logger
 * {@code dev.ferry.audit}, in logfmt:
 *
 * <pre>
 * attempt method=PUT path=/records/k1 status=503 latencyMs=12 idempotencyKey=9f2c… attempt=1 source=a.csv:2
 * attempt method=PUT path=/records/k1 fault=timeout latencyMs=1001 idempotencyKey=9f2c… attempt=2 source=a.csv:2
 * </pre>
 *
 * What was sent is identified by its Idempotency-Key (SHA-256 of the key and the canonical record), so no
 * body, header (Authorization above all) or answer text is ever written. When the key field is one of
 * {@code ferry.log.redact-fields}, the key is masked in the path. Thread-safe.
 */
@ApplicationScoped
public class AuditLog {

    public static final String CATEGORY = "dev.ferry.audit";
    private static final Logger AUDIT = Logger.getLogger(CATEGORY);

    private final boolean enabled;
    private final String method;
    private final boolean maskKey;
    /** The path with the key masked, built like the request URL (RunContext): base URL path + ferry.target.path. */
    private final String maskedPath;

    public AuditLog(FerryConfig config) {
        this.enabled = config.log().audit();
        this.method = config.target().method().name();
        this.maskKey = Redaction.of(config).masksKey();
        String base = config.target().url().map(URI::getRawPath).orElse("");
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String template = config.target().path();
        this.maskedPath = base + (template.startsWith("/") ? template : "/" + template).replace("{key}", Redaction.MASK);
    }

    /**
     * One attempt ended.
     *
     * @param status       the HTTP status, or 0 when no answer came
     * @param fault        what happened instead of an answer (null when {@code status} is set)
     * @param latency      from the attempt's start to its end
     */
    public void attempt(Delivery delivery, int status, TransientFault fault, Duration latency) {
        if (!enabled || !AUDIT.isInfoEnabled()) {
            return;
        }
        String outcome = status > 0 ? "status=" + status : "fault=" + (fault == null ? "unknown" : fault.result().tag());
        AUDIT.infof("attempt method=%s path=%s %s latencyMs=%d idempotencyKey=%s attempt=%d source=%s",
                delivery.record().deletes() ? "DELETE" : method, path(delivery), outcome, latency.toMillis(), delivery.record().idempotencyKey(), delivery.attempts(),
                delivery.record().origin());
    }

    private String path(Delivery delivery) {
        return maskKey ? maskedPath : delivery.url().getRawPath();
    }
}
