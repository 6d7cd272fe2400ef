package dev.ferry.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.StopSignal;
import dev.ferry.state.BreakerStateFile;
import io.quarkus.arc.Unremovable;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * The circuit breaker as the reader and the workers see it (docs/reference.md, Retries, breaker and rate limit), as one
 * state machine:
 * <ul>
 * <li>within a process it follows SmallRye's breaker {@value GuardedSender#BREAKER} (which counts the records
 * that ran out of retries and decides when to open and half-open);</li>
 * <li>across processes it carries an open breaker: a run that starts while the last one's breaker was open
 * ({@code state/breaker.json}) is {@link State#OPEN} until the saved trial time ("open until", as
 * resilience4j's {@code transitionToOpenStateUntil}), then lets exactly one trial record through before any
 * other; a failed trial opens it for another {@code ferry.breaker.delay}, a trial that gets an answer closes it.</li>
 * </ul>
 * While it is open, {@link #awaitReadable} holds the reader and {@link #awaitPass} the workers. Each change
 * is handed to the {@link BreakerRecorder} (breaker.json, metrics, log) outside the gate's lock, in order.
 * Time comes from the injected clock; waits end on a change, on a stop request, or at the time the state
 * machine names. Thread-safe.
 */
@ApplicationScoped
@Unremovable // looked up by classes that SmallRye Fault Tolerance instantiates
public class BreakerGate {

    /** What the gate is; the ordinal is the value of {@code ferry_breaker_state}. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    /** One change of the gate: its new state, until when it stays open, and whether it is carried over. */
    public record Change(State state, Instant openUntil, boolean carried, Why why) {
    }

    /** What made the gate change. */
    public enum Why {
        RUN_STARTED, OPENED, HALF_OPENED, CLOSED, TRIAL_STARTED, TRIAL_FAILED, TRIAL_SUCCEEDED
    }

    /**
     * The right to send one record, given by {@link #awaitPass}; close it when the record's delivery ended.
     * A trial pass reports the API's verdict with {@link #apiFailed()} or {@link #apiAnswered()}; a trial pass
     * closed without one (the run stopped, an unexpected error) hands the trial to the next record.
     */
    public final class Pass implements AutoCloseable {

        private final boolean trial;
        private final long version;
        private boolean ended;

        private Pass(boolean trial, long version) {
            this.trial = trial;
            this.version = version;
        }

        public boolean trial() {
            return trial;
        }

        /** The record ran out of retries (a transient fault): a trial opens the breaker again. */
        public void apiFailed() {
            end(true);
        }

        /** The API answered (delivered, or refused the record for good): a trial closes the breaker. */
        public void apiAnswered() {
            end(false);
        }

        @Override
        public void close() {
            if (trial && !ended) {
                ended = true;
                change(() -> trialInFlight = false, null); // abandoned: the next record carries the trial
            }
        }

        private void end(boolean failed) {
            if (trial && !ended) {
                ended = true;
                trialEnded(failed);
            }
        }
    }

    private static final long SAFETY_NET_MILLIS = 250;

    private final CircuitBreakerMaintenance maintenance;
    private final BreakerStateFile stateFile;
    private final BreakerRecorder recorder;
    private final Clock clock;
    private final Duration delay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Queue<Change> unpublished = new ArrayDeque<>();
    private final Object publishing = new Object();
    private boolean listening;

    // the state machine, guarded by lock
    private State state = State.CLOSED;
    /** The state came from an earlier run's breaker.json: SmallRye's breaker knows nothing of it. */
    private boolean carried;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;
    private long version;

    @Inject
    public BreakerGate(CircuitBreakerMaintenance maintenance, BreakerStateFile stateFile, BreakerRecorder recorder,
            Clock clock, FerryConfig config) {
        this(maintenance, stateFile, recorder, clock, config.breaker().delay());
    }

    public BreakerGate(CircuitBreakerMaintenance maintenance, BreakerStateFile stateFile, BreakerRecorder recorder,
            Clock clock, Duration delay) {
        this.maintenance = maintenance;
        this.stateFile = stateFile;
        this.recorder = recorder;
        this.clock = clock;
        this.delay = delay;
    }

    /** At the start of a run: a fresh breaker, unless breaker.json says the last one was still open. */
    public void startRun(StopSignal stop) {
        Optional<BreakerStateFile.Saved> saved = stateFile.read();
        boolean subscribe;
        lock.lock();
        try {
            subscribe = !listening;
            listening = true;
        } finally {
            lock.unlock();
        }
        if (subscribe) {
            maintenance.onStateChange(GuardedSender.BREAKER, this::followSmallRye);
            stop.onRequest(this::wakeAll);
        }
        change(() -> {
            carried = saved.isPresent() && !saved.get().closed();
            // a trial time beyond one delay from now was saved under a clock since set back (or a longer delay)
            Instant latest = clock.instant().plus(delay);
            openUntil = !carried ? Instant.MIN
                    : saved.get().trialAt().isAfter(latest) ? latest : saved.get().trialAt();
            trialInFlight = false;
            state = carried ? State.OPEN : State.CLOSED;
            refresh();
        }, Why.RUN_STARTED);
        // outside the lock (SmallRye calls followSmallRye back); its CLOSED changes nothing now
        maintenance.reset(GuardedSender.BREAKER);
    }

    /** True while the breaker is open: in-flight records are not retried then. */
    public boolean isOpen() {
        return state() == State.OPEN;
    }

    /**
     * The reader waits here before reading each record.
     *
     * @param whileWaiting run at least every {@code every} while the wait lasts (the reader checkpoints there)
     * @return false when the run was told to stop during the wait
     */
    public boolean awaitReadable(StopSignal stop, Runnable whileWaiting, Duration every) throws InterruptedException {
        while (true) {
            lock.lock();
            try {
                if (stop.requested()) {
                    return false;
                }
                if (readable()) {
                    return true;
                }
                awaitChange(stop, every);
            } finally {
                lock.unlock();
            }
            publish();
            whileWaiting.run();
        }
    }

    /**
     * A worker waits here before sending: until the breaker lets a record through. In a carried-over breaker
     * the first caller after the trial time gets the trial; the others wait for its outcome.
     *
     * @return the pass, or empty when the run was told to stop during the wait
     */
    public Optional<Pass> awaitPass(StopSignal stop) throws InterruptedException {
        try {
            while (true) {
                lock.lock();
                try {
                    if (stop.requested()) {
                        return Optional.empty();
                    }
                    Optional<Pass> pass = tryPass();
                    if (pass.isPresent()) {
                        return pass;
                    }
                    awaitChange(stop, Duration.ofMillis(SAFETY_NET_MILLIS));
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            publish();
        }
    }

    /**
     * SmallRye's breaker refused a call given {@code pass} (half-open, with the trial elsewhere): waits until
     * the gate changed since that pass, or a stop.
     */
    public void awaitChangeSince(Pass pass, StopSignal stop) throws InterruptedException {
        lock.lock();
        try {
            if (version == pass.version && !stop.requested()) {
                // a timed wait as a safety net: SmallRye reports its transitions, but not under our lock
                changed.await(SAFETY_NET_MILLIS, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the reader may read now, without waiting. */
    boolean readableNow() {
        return locked(this::readable);
    }

    /** A pass if the breaker lets a record through now, without waiting. */
    Optional<Pass> tryPassNow() {
        return locked(this::tryPass);
    }

    private <T> T locked(Supplier<T> step) {
        lock.lock();
        try {
            return step.get();
        } finally {
            lock.unlock();
            publish();
        }
    }

    /** Whether the reader may read now; call under the lock. */
    boolean readable() {
        refresh();
        return state != State.OPEN && !(carried && trialInFlight);
    }

    /** A pass if the breaker lets a record through now; call under the lock (changes are published later). */
    Optional<Pass> tryPass() {
        refresh();
        if (state == State.OPEN || (carried && trialInFlight)) {
            return Optional.empty();
        }
        if (!carried) {
            return Optional.of(new Pass(false, version));
        }
        trialInFlight = true;
        record(Why.TRIAL_STARTED);
        return Optional.of(new Pass(true, version));
    }

    /** The gate's state now. */
    public State state() {
        return locked(() -> {
            refresh();
            return state;
        });
    }

    /** A carried-over breaker whose open time has passed is half-open: the next record is its trial. */
    private void refresh() {
        if (carried && state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            state = State.HALF_OPEN;
            record(Why.HALF_OPENED);
        }
    }

    private void followSmallRye(CircuitBreakerState smallRye) {
        change(() -> {
            if (carried) {
                return; // SmallRye's breaker was reset for this run; a carried breaker ends by its own trial
            }
            switch (smallRye) {
                case OPEN -> {
                    state = State.OPEN;
                    openUntil = clock.instant().plus(delay);
                    record(Why.OPENED);
                }
                case HALF_OPEN -> {
                    if (state == State.OPEN) { // not a timer of a breaker that a new run has reset
                        state = State.HALF_OPEN;
                        record(Why.HALF_OPENED);
                    }
                }
                case CLOSED -> {
                    if (state != State.CLOSED) {
                        state = State.CLOSED;
                        record(Why.CLOSED);
                    }
                }
                default -> {
                    // DISABLED and FORCED_OPEN are not used by ferry
                }
            }
        }, null);
    }

    private void trialEnded(boolean failed) {
        change(() -> {
            trialInFlight = false;
            if (failed) {
                state = State.OPEN;
                openUntil = clock.instant().plus(delay);
                record(Why.TRIAL_FAILED);
            } else {
                carried = false;
                state = State.CLOSED;
                record(Why.TRIAL_SUCCEEDED);
            }
        }, null);
    }

    /** Applies {@code step} under the lock, wakes the waiters, then publishes what changed, outside the lock. */
    private void change(Runnable step, Why why) {
        lock.lock();
        try {
            step.run();
            if (why != null) {
                record(why);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        publish();
    }

    /** Notes a change for the recorder; call under the lock. */
    private void record(Why why) {
        version++;
        unpublished.add(new Change(state, openUntil, carried, why));
    }

    /** Hands the noted changes to the recorder in order, outside the gate's lock. */
    private void publish() {
        synchronized (publishing) {
            while (true) {
                Change next;
                lock.lock();
                try {
                    next = unpublished.poll();
                } finally {
                    lock.unlock();
                }
                if (next == null) {
                    return;
                }
                recorder.record(next);
            }
        }
    }

    /** Waits for a change, a stop, the end of a carried open time, or {@code most}; call under the lock. */
    private void awaitChange(StopSignal stop, Duration most) throws InterruptedException {
        Instant now = clock.instant();
        Instant until = now.plus(most);
        if (carried && state == State.OPEN && openUntil.isBefore(until)) {
            until = openUntil;
        }
        if (stop.deadline().isBefore(until)) {
            until = stop.deadline();
        }
        long nanos = Math.max(1, Duration.between(now, until).toNanos());
        changed.awaitNanos(nanos);
    }

    private void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
