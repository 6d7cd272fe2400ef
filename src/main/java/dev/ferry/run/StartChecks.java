package dev.ferry.run;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.delivery.StatusRules;
import dev.ferry.ingest.ReaderSettings;
import dev.ferry.shape.RecordShaper;
import dev.ferry.shape.ShapingRules;
import dev.ferry.target.TargetConnection;

/**
 * Everything a run checks in its configuration before it touches the volume: the target URL, the connection
 * ({@code ferry.target.auth}, {@code .headers}, {@code .tls}), {@code ferry.retry.on-status}, the reader settings and
 * the shaper, its JSLT transform compiled. One place, so that {@code ferry check-config} fails exactly where a run
 * would, and with the same message.
 */
@ApplicationScoped
public class StartChecks {

    private final FerryConfig config;
    private final TargetConnection target;

    public StartChecks(FerryConfig config, TargetConnection target) {
        this.config = config;
        this.target = target;
    }

    /**
     * Checks the configuration; builds what the readers need from it.
     *
     * @return the readers' settings, their records made by the shaper of {@code ferry.record.*}
     * @throws ConfigurationError naming the property at fault (exit 78)
     */
    public ReaderSettings check() {
        if (config.target().url().isEmpty()) {
            throw new ConfigurationError("ferry.target.url", "not set (FERRY_TARGET_URL): where should records go?");
        }
        target.check();
        StatusRules.of(config.retry().onStatus());
        Reconciliation.ambiguousAfter(config);
        ChangeRules.of(config);
        return ReaderSettings.of(config).with(new ShapedRecords(RecordShaper.of(ShapingRules.from(config))));
    }
}
