package dev.ferry.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.vertx.core.Vertx;

/**
 * Reads the start of an error answer's body no later than a deadline: once the status line and headers have
 * arrived, a body that trickles in must not turn the answer into a timeout ({@link RequestAttempt}'s
 * {@code @Timeout}, which would discard the status that arrived). The REST client's body stream gives a blocked read
 * up when its thread is interrupted, so a Vert.x timer interrupts the reader at the deadline. Only bodies that are
 * read arm a timer (error answers), never a 2xx's.
 */
@ApplicationScoped
public class BodyDeadline {

    private final Vertx vertx;
    private final Clock clock;

    public BodyDeadline(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    /** The start of the body ({@link Answers#excerpt}), or empty when it did not arrive by {@code deadline}. */
    public Optional<String> excerpt(Response response, Instant deadline) {
        long millis = Duration.between(clock.instant(), deadline).toMillis();
        if (millis <= 0) {
            return Optional.empty();
        }
        Interrupt interrupt = new Interrupt(Thread.currentThread());
        long timer = vertx.setTimer(millis, id -> interrupt.fire());
        String excerpt = Answers.excerpt(response); // an interrupted read ends it early, not with an exception
        vertx.cancelTimer(timer);
        return interrupt.disarm() ? Optional.of(excerpt) : Optional.empty();
    }

    /** Interrupts its thread once, unless disarmed first; the interrupt it left is cleared when it is disarmed. */
    private static final class Interrupt {

        private final Thread reader;
        private boolean fired;
        private boolean disarmed;

        Interrupt(Thread reader) {
            this.reader = reader;
        }

        synchronized void fire() {
            if (!disarmed) {
                fired = true;
                reader.interrupt();
            }
        }

        /** Called by the reader: true when the read ended before the interrupt. */
        synchronized boolean disarm() {
            disarmed = true;
            if (fired) {
                Thread.interrupted();
            }
            return !fired;
        }
    }
}
