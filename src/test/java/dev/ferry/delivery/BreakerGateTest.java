package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestClock;
import dev.ferry.core.StopSignal;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.BreakerStateFile;
import dev.ferry.state.DataDir;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** The gate's one state machine on a test clock: SmallRye's transitions, the carried-over breaker, its trial. */
class BreakerGateTest {

    static final Duration DELAY = Duration.ofSeconds(60);

    @TempDir
    Path root;

    final TestClock clock = new TestClock();
    final FakeMaintenance smallRye = new FakeMaintenance();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FerryMetrics metrics = new FerryMetrics(registry);
    StopSignal stop;
    BreakerStateFile stateFile;
    BreakerGate gate;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("state"));
        stateFile = new BreakerStateFile(new DataDir(root));
        stop = new StopSignal(clock);
        gate = new BreakerGate(smallRye, stateFile, new BreakerRecorder(stateFile, metrics, clock), clock, DELAY);
        metrics.startRun();
    }

    @Test
    void carriedOpenBreaker_holdsReaderAndWorkers_untilItsTrialTime_thenLetsOneTrialAlone() throws Exception {
        carryOver("OPEN", clock.instant().plusSeconds(30));
        gate.startRun(stop);

        assertThat(gate.state()).isEqualTo(BreakerGate.State.OPEN);
        assertThat(readable()).isFalse();
        assertThat(pass()).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(readable()).isFalse();
        clock.advance(Duration.ofSeconds(1));

        assertThat(readable()).isTrue();
        BreakerGate.Pass trial = pass().orElseThrow();
        assertThat(trial.trial()).isTrue();
        assertThat(readable()).as("the reader waits for the trial's outcome").isFalse();
        assertThat(pass()).as("one trial alone").isEmpty();

        trial.apiAnswered();
        trial.close();

        assertThat(gate.state()).isEqualTo(BreakerGate.State.CLOSED);
        assertThat(pass().orElseThrow().trial()).isFalse();
        assertThat(stateFile.read().orElseThrow().state()).isEqualTo("CLOSED");
        assertThat(metrics.run().readerPaused()).as("paused from the start to the trial time").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void carriedTrialTimeFurtherAwayThanTheDelay_aClockSetBackSinceItWasSaved_waitsOneDelayAtMost() throws Exception {
        carryOver("OPEN", clock.instant().plus(Duration.ofDays(365)));
        gate.startRun(stop);

        assertThat(pass()).isEmpty();
        clock.advance(DELAY);

        assertThat(readable()).isTrue();
        assertThat(pass().orElseThrow().trial()).isTrue();
    }

    @Test
    void failedTrial_opensTheBreakerForAFullDelay_andSaysSoOnTheVolume() throws Exception {
        carryOver("OPEN", clock.instant());
        gate.startRun(stop);
        BreakerGate.Pass trial = pass().orElseThrow();

        trial.apiFailed();
        trial.close();

        assertThat(gate.state()).isEqualTo(BreakerGate.State.OPEN);
        assertThat(stateFile.read().orElseThrow().state()).isEqualTo("OPEN");
        assertThat(stateFile.read().orElseThrow().trialAt()).isEqualTo(clock.instant().plus(DELAY));
        assertThat(metrics.run().breakerOpenings()).isEqualTo(1);
        clock.advance(DELAY.minusSeconds(1));
        assertThat(pass()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(pass().orElseThrow().trial()).as("the next trial").isTrue();
    }

    @Test
    void trialEndedWithoutAVerdict_handsTheTrialToTheNextRecord_andTheBreakerStaysCarried() throws Exception {
        carryOver("HALF_OPEN", clock.instant().minusSeconds(5));
        gate.startRun(stop);
        BreakerGate.Pass abandoned = pass().orElseThrow();

        abandoned.close(); // the run stopped, or the worker met an unexpected error

        assertThat(pass().orElseThrow().trial()).isTrue();
        assertThat(stateFile.read().orElseThrow().state()).isNotEqualTo("CLOSED");
    }

    @Test
    void smallRyeTransitions_areFollowed_savedAndCounted() {
        gate.startRun(stop);
        assertThat(pass().orElseThrow().trial()).isFalse();

        smallRye.fire(CircuitBreakerState.OPEN);

        assertThat(gate.isOpen()).isTrue();
        assertThat(readable()).isFalse();
        assertThat(pass()).isEmpty();
        assertThat(stateFile.read().orElseThrow().trialAt()).isEqualTo(clock.instant().plus(DELAY));
        assertThat(registry.get("ferry.breaker.state").gauge().value()).isEqualTo(1);
        assertThat(registry.get("ferry.breaker.opened").counter().count()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(60));
        assertThat(pass()).as("SmallRye's breaker decides when it half-opens, not the clock").isEmpty();

        smallRye.fire(CircuitBreakerState.HALF_OPEN);
        assertThat(readable()).isTrue();
        assertThat(pass().orElseThrow().trial()).as("SmallRye admits its own trial").isFalse();
        assertThat(registry.get("ferry.breaker.state").gauge().value()).isEqualTo(2);

        smallRye.fire(CircuitBreakerState.CLOSED);
        assertThat(gate.state()).isEqualTo(BreakerGate.State.CLOSED);
        assertThat(stateFile.read().orElseThrow().state()).isEqualTo("CLOSED");
        assertThat(metrics.run().readerPaused()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void lateSmallRyeEvents_ofABreakerResetByTheRun_changeNothing() throws Exception {
        carryOver("OPEN", clock.instant().plusSeconds(30));
        gate.startRun(stop);

        smallRye.fire(CircuitBreakerState.HALF_OPEN); // the timer of the last run's SmallRye breaker
        smallRye.fire(CircuitBreakerState.CLOSED);

        assertThat(pass()).as("the carried breaker is open until its trial time").isEmpty();
        assertThat(gate.state()).isEqualTo(BreakerGate.State.OPEN);

        BreakerGate fresh = new BreakerGate(smallRye, stateFile, new BreakerRecorder(stateFile, metrics, clock), clock,
                DELAY);
        carryOver("CLOSED", clock.instant());
        fresh.startRun(stop);
        smallRye.fire(CircuitBreakerState.HALF_OPEN);
        assertThat(fresh.state()).as("a closed breaker does not half-open").isEqualTo(BreakerGate.State.CLOSED);
    }

    @Test
    void nextRun_startsWhereTheLastOneLeftTheBreaker() {
        gate.startRun(stop);
        smallRye.fire(CircuitBreakerState.OPEN); // the run ends with the breaker open

        gate.startRun(stop);

        assertThat(gate.state()).isEqualTo(BreakerGate.State.OPEN);
        clock.advance(DELAY);
        assertThat(pass().orElseThrow().trial()).isTrue();
    }

    @Test
    void stopRequest_endsTheReadersAndTheWorkersWait() throws Exception {
        carryOver("OPEN", clock.instant().plusSeconds(3600));
        gate.startRun(stop);
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> call(
                () -> gate.awaitReadable(stop, () -> { }, Duration.ofMinutes(1))));
        CompletableFuture<Optional<BreakerGate.Pass>> worker = CompletableFuture.supplyAsync(() -> call(
                () -> gate.awaitPass(stop)));

        stop.request(StopSignal.Reason.SIGTERM);

        assertThat(reader.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(worker.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    private boolean readable() {
        return gate.readableNow();
    }

    private Optional<BreakerGate.Pass> pass() {
        return gate.tryPassNow();
    }

    private void carryOver(String state, Instant trialAt) throws Exception {
        stateFile.write(new BreakerStateFile.Saved(state, clock.instant(), trialAt));
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** SmallRye's maintenance API as the gate uses it: one listener, transitions fired by the test. */
    static final class FakeMaintenance implements CircuitBreakerMaintenance {
        private Consumer<CircuitBreakerState> listener = state -> { };

        void fire(CircuitBreakerState state) {
            listener.accept(state);
        }

        @Override
        public CircuitBreakerState currentState(String name) {
            return CircuitBreakerState.CLOSED;
        }

        @Override
        public void onStateChange(String name, Consumer<CircuitBreakerState> callback) {
            listener = callback;
        }

        @Override
        public void reset(String name) {
        }

        @Override
        public void resetAll() {
        }
    }
}
