package dev.ferry.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.delivery.GuardedSender;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.BreakerStateFile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import dev.ferry.core.StopSignal;

/**
 * Lets the reader and the workers through only while the circuit breaker allows. It follows the
 * SmallRye breaker {@code ferry-api} through {@link CircuitBreakerMaintenance}: while it is open the
 * reader is paused and no request is sent; half-open, the breaker itself admits one trial. It also
 * keeps the breaker across processes ({@code state/breaker.json}): a run that starts while the last
 * run's breaker was open waits until its trial time, then lets exactly one record through before
 * any other. Thread-safe.
 */
@ApplicationScoped
@Unremovable // looked up by classes that SmallRye Fault Tolerance instantiates
public class BreakerGate {

    private static final Logger LOG = Logger.getLogger(BreakerGate.class);
    private static final long POLL_MILLIS = 50;

    private final CircuitBreakerMaintenance maintenance;
    private final BreakerStateFile stateFile;
    private final FerryMetrics metrics;
    private final Clock clock;
    private final Duration delay;
    private boolean listening;
    private CircuitBreakerState state = CircuitBreakerState.CLOSED;
    /** Carried over from an earlier run: no request before {@code trialAt}, then one trial alone. */
    private boolean carried;
    private Instant trialAt = Instant.MIN;
    private boolean trialInFlight;
    /** System.nanoTime() when the current pause began, or 0 while traffic flows. */
    private long pausedSince;

    public BreakerGate(CircuitBreakerMaintenance maintenance, BreakerStateFile stateFile, FerryMetrics metrics,
            Clock clock, FerryConfig config) {
        this.maintenance = maintenance;
        this.stateFile = stateFile;
        this.metrics = metrics;
        this.clock = clock;
        this.delay = config.breaker().delay();
    }

    /** At the start of a run: a fresh breaker, unless breaker.json says the last one was still open. */
    public synchronized void startRun() {
        var saved = stateFile.read();
        carried = saved.isPresent() && !saved.get().closed();
        trialAt = carried ? saved.get().trialAt() : Instant.MIN;
        trialInFlight = false;
        if (!listening) {
            maintenance.onStateChange(GuardedSender.BREAKER, this::onStateChange);
            listening = true;
        }
        maintenance.reset(GuardedSender.BREAKER);
        state = CircuitBreakerState.CLOSED;
        pausedSince = 0;
        if (carried && clock.instant().isBefore(trialAt)) {
            beginPause();
        }
        metrics.breakerState(carried ? 1 : 0);
        if (carried) {
            LOG.infof("breaker: the last run left it %s; first trial at %s", saved.get().state(), trialAt);
        }
        notifyAll();
    }

    private synchronized void onStateChange(CircuitBreakerState newState) {
        state = newState;
        switch (newState) {
            case OPEN -> {
                beginPause();
                metrics.breakerOpened();
                metrics.breakerState(1);
                save("OPEN", clock.instant().plus(delay));
                LOG.warnf("breaker: open; reader paused for %s", delay);
            }
            case HALF_OPEN -> {
                endPause();
                metrics.breakerState(2);
                save("HALF_OPEN", clock.instant());
                LOG.info("breaker: half-open; one trial record goes through");
            }
            case CLOSED -> {
                endPause();
                metrics.breakerState(carried ? 1 : 0);
                if (!carried) {
                    save("CLOSED", clock.instant());
                }
                LOG.info("breaker: closed");
            }
        }
        notifyAll();
    }

    /** True while the breaker is open: in-flight records are not retried then. */
    public synchronized boolean isOpen() {
        return state == CircuitBreakerState.OPEN || (carried && !clock.instant().isAfter(trialAt));
    }

    /**
     * The reader waits here before reading each record.
     *
     * @param whileWaiting called about every 50 ms during a wait (the reader checkpoints there)
     * @return false when the run was told to stop during the wait
     */
    public boolean awaitReadable(StopSignal stop, Runnable whileWaiting) throws InterruptedException {
        while (true) {
            synchronized (this) {
                if (stop.requested()) {
                    return false;
                }
                if (!readerBlocked()) {
                    return true;
                }
                wait(POLL_MILLIS);
            }
            whileWaiting.run();
        }
    }

    /** At the end of a run: a pause still going on is counted up to now. */
    public synchronized void finishRun() {
        endPause();
    }

    private void beginPause() {
        if (pausedSince == 0) {
            pausedSince = System.nanoTime();
        }
    }

    private void endPause() {
        if (pausedSince != 0) {
            metrics.readerPaused(System.nanoTime() - pausedSince);
            pausedSince = 0;
        }
    }

    private boolean readerBlocked() {
        return state == CircuitBreakerState.OPEN || (carried && (clock.instant().isBefore(trialAt) || trialInFlight));
    }

    /**
     * A worker waits here before sending. In a carried-over breaker the first caller becomes the
     * trial; everyone else waits for its outcome.
     *
     * @return true when this caller carries the carried-over trial (report it with {@link #trialDone});
     *         on return the caller checks {@code stop}, which may have ended the wait
     */
    public boolean awaitSendable(StopSignal stop) throws InterruptedException {
        synchronized (this) {
            while (!stop.requested()) {
                if (state == CircuitBreakerState.OPEN) {
                    wait(POLL_MILLIS);
                } else if (carried) {
                    if (clock.instant().isBefore(trialAt) || trialInFlight) {
                        wait(POLL_MILLIS);
                    } else {
                        trialInFlight = true;
                        endPause();
                        metrics.breakerState(2);
                        LOG.info("breaker: one trial record goes through");
                        return true;
                    }
                } else {
                    return false;
                }
            }
            return false;
        }
    }

    /** A worker whose call the breaker refused (half-open, trial elsewhere) waits for the state to change. */
    public synchronized void awaitAfterRefusal() throws InterruptedException {
        wait(POLL_MILLIS);
    }

    /** The carried-over trial ended: a failed trial opens the breaker again for a full delay. */
    public synchronized void trialDone(boolean apiFailed) {
        trialInFlight = false;
        if (apiFailed) {
            beginPause();
            trialAt = clock.instant().plus(delay);
            metrics.breakerOpened();
            metrics.breakerState(1);
            save("OPEN", trialAt);
            LOG.warnf("breaker: trial failed; open again, reader paused for %s", delay);
        } else {
            carried = false;
            metrics.breakerState(0);
            save("CLOSED", clock.instant());
            LOG.info("breaker: trial succeeded; closed");
        }
        notifyAll();
    }

    private void save(String what, Instant trial) {
        try {
            stateFile.write(new BreakerStateFile.Saved(what, clock.instant(), trial));
        } catch (IOException e) {
            LOG.warnf("cannot write state/breaker.json: %s", e.toString());
        }
    }
}
