package dev.ferry.run;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.FailedFolder;

/** Counts what waits in failed/ and sets {@code ferry_failed_backlog_records} and {@code ferry_failed_oldest_seconds}. */
@ApplicationScoped
public class FailedBacklog {

    private final FailedFolder failed;
    private final FerryMetrics metrics;
    private final Clock clock;

    public FailedBacklog(FailedFolder failed, FerryMetrics metrics, Clock clock) {
        this.failed = failed;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @return the records waiting in failed/, the gauges set */
    public long refresh() {
        FailedFolder.Waiting waiting = failed.waiting();
        long oldest = waiting.oldestSince() == null ? 0
                : Math.max(0, Duration.between(waiting.oldestSince(), clock.instant()).toSeconds());
        metrics.failedBacklog(waiting.records(), oldest);
        return waiting.records();
    }
}
