package dev.ferry.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.BreakerStateFile;

/**
 * What follows from each change of the {@link BreakerGate}, called outside the gate's lock and in the
 * order of the changes: {@code state/breaker.json} (so the breaker outlives the process), the breaker
 * metrics, the time the reader spent paused, and the log lines. Called by one thread at a time.
 */
@ApplicationScoped
public class BreakerRecorder {

    private static final Logger LOG = Logger.getLogger(BreakerRecorder.class);

    private final BreakerStateFile stateFile;
    private final FerryMetrics metrics;
    private final Clock clock;
    /** When the current pause of the reader began, or null while records flow. */
    private Instant pausedSince;

    public BreakerRecorder(BreakerStateFile stateFile, FerryMetrics metrics, Clock clock) {
        this.stateFile = stateFile;
        this.metrics = metrics;
        this.clock = clock;
    }

    void record(BreakerGate.Change change) {
        metrics.breakerState(change.state().ordinal());
        if (change.state() == BreakerGate.State.OPEN) {
            beginPause();
        } else {
            endPause();
        }
        switch (change.why()) {
            case RUN_STARTED -> {
                if (change.carried()) {
                    LOG.infof("breaker: the last run left it open; first trial at %s", change.openUntil());
                }
            }
            case OPENED -> {
                metrics.breakerOpened();
                save("OPEN", change.openUntil());
                LOG.warnf("breaker: open; reader paused until %s", change.openUntil());
            }
            case HALF_OPENED -> {
                save("HALF_OPEN", clock.instant());
                LOG.info("breaker: half-open; one trial record goes through");
            }
            case TRIAL_STARTED -> LOG.info("breaker: one trial record goes through");
            case TRIAL_FAILED -> {
                metrics.breakerOpened();
                save("OPEN", change.openUntil());
                LOG.warnf("breaker: trial failed; open again, reader paused until %s", change.openUntil());
            }
            case TRIAL_SUCCEEDED, CLOSED -> {
                save("CLOSED", clock.instant());
                LOG.info("breaker: closed");
            }
        }
    }

    /** At the end of a run: a pause still going on is counted up to now. */
    public void finishRun() {
        endPause();
    }

    private synchronized void beginPause() {
        if (pausedSince == null) {
            pausedSince = clock.instant();
        }
    }

    private synchronized void endPause() {
        if (pausedSince != null) {
            metrics.readerPaused(Duration.between(pausedSince, clock.instant()).toNanos());
            pausedSince = null;
        }
    }

    private void save(String state, Instant trialAt) {
        try {
            stateFile.write(new BreakerStateFile.Saved(state, clock.instant(), trialAt));
        } catch (IOException e) {
            LOG.warnf("cannot write state/breaker.json: %s", e.toString());
        }
    }
}
