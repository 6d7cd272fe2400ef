package dev.ferry.core;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * Tells a run to stop early: SIGTERM, the {@code ferry.run.max-duration} deadline, refused
 * credentials, or a configuration mistake that only sending reveals. The run then checkpoints and leaves what it did not reach for the next run. Thread-safe.
 */
@ApplicationScoped
@Unremovable // looked up by classes that SmallRye Fault Tolerance instantiates
public class StopSignal {

    /** Why a run stopped early. */
    public enum Reason {
        SIGTERM, DEADLINE, CREDENTIALS_REFUSED,
        /** A configuration mistake found while sending, such as a TLS handshake refused on trust (exit 78). */
        CONFIGURATION
    }

    private final Clock clock;
    private volatile Instant deadline = Instant.MAX;
    private volatile Reason reason;

    public StopSignal(Clock clock) {
        this.clock = clock;
    }

    public void reset(Instant deadline) {
        this.deadline = deadline;
        this.reason = null;
    }

    public synchronized void request(Reason why) {
        if (reason == null || why == Reason.CREDENTIALS_REFUSED || why == Reason.CONFIGURATION) {
            reason = why;
        }
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
}
