package dev.ferry.serve;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.RunReport;

/**
 * Readiness of {@code ferry serve}: up while the process can take its schedule, with the breaker's
 * state (an open breaker is the API's trouble, not the pod's: the pod stays ready, so its metrics
 * are still scraped) and the last run's exit code.
 */
@Readiness
@ApplicationScoped
public class BreakerReadiness implements HealthCheck {

    private static final String[] STATES = { "closed", "open", "half-open" };

    private final FerryMetrics metrics;
    private final ServeSchedule schedule;

    public BreakerReadiness(FerryMetrics metrics, ServeSchedule schedule) {
        this.metrics = metrics;
        this.schedule = schedule;
    }

    @Override
    public HealthCheckResponse call() {
        RunReport last = schedule.lastRun();
        return HealthCheckResponse.named("ferry").up()
                .withData("breaker", STATES[(int) metrics.breakerStateValue()])
                .withData("running", schedule.running())
                .withData("lastRunExitCode", last == null ? -1 : last.exitCode())
                .build();
    }
}
