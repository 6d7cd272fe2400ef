package dev.ferry.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * Tells a run to stop early: SIGTERM, the {@code ferry.run.max-duration} deadline, refused
 * credentials, a configuration mistake that only sending reveals, or a snapshot's deletes held back. The run then checkpoints and leaves what it did not reach for the next run. Those who
 * wait on something else (the breaker's gate) register a wake-up, so a stop ends their wait at once.
 * Thread-safe.
 */
@ApplicationScoped
@Unremovable // looked up by classes that SmallRye Fault Tolerance instantiates
public class StopSignal {

    /** Why a run stopped early. */
    public enum Reason {
        SIGTERM, DEADLINE, CREDENTIALS_REFUSED,
        /** A configuration mistake found while sending, such as a TLS handshake refused on trust (exit 78). */
        CONFIGURATION,
        /** Records in a row refused with answers that say the URL or the API is wrong (exit 76). */
        MISROUTED,
        /** A snapshot would delete more than {@code ferry.snapshot.max-delete-ratio} of the known keys (exit 76). */
        MASS_DELETE
    }

    private final Clock clock;
    private final List<Runnable> wakeUps = new CopyOnWriteArrayList<>();
    private volatile Instant deadline = Instant.MAX;
    private volatile Reason reason;

    public StopSignal(Clock clock) {
        this.clock = clock;
    }

    /** A new run: no reason yet, and this deadline. */
    public void reset(Instant deadline) {
        this.deadline = deadline;
        this.reason = null;
    }

    public void request(Reason why) {
        synchronized (this) {
            if (reason != null && why != Reason.CREDENTIALS_REFUSED && why != Reason.CONFIGURATION) {
                return;
            }
            reason = why;
        }
        wakeUps.forEach(Runnable::run);
    }

    public boolean requested() {
        if (reason == null && !clock.instant().isBefore(deadline)) {
            request(Reason.DEADLINE);
        }
        return reason != null;
    }

    /** Why the run stops, or null while it goes on. */
    public Reason reason() {
        requested();
        return reason;
    }

    /** When the run stops at the latest. */
    public Instant deadline() {
        return deadline;
    }

    /** Runs {@code wakeUp} (on the requesting thread) whenever a stop is requested. */
    public void onRequest(Runnable wakeUp) {
        wakeUps.add(wakeUp);
    }
}
