package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import dev.ferry.core.RequestResult;
import dev.ferry.target.TargetAuthConfigTest;

/**
 * Which transient faults are ambiguous: the request may have been applied, so the key is read back later
 * ({@code ferry.verify.ambiguous-after}). Conservative: only a failure that shows the request never left counts as
 * not applied.
 */
class AmbiguousAnswersTest {

    final FaultClassifier classifier = new FaultClassifier(TargetAuthConfigTest.config(Map.of(), Map.of()),
            Clock.systemUTC());

    @Test
    void gatewayTimeoutsAndLostAnswers_mayHaveBeenApplied_othersNot() {
        assertThat(IntStream.of(502, 504, 520, 524)).allMatch(StatusRules::mayHaveApplied);
        assertThat(IntStream.of(408, 425, 429, 500, 503, 507, 521, 522, 523, 525, 526, 527))
                .noneMatch(StatusRules::mayHaveApplied);
    }

    @Test
    void noAnswerAfterTheConnectionWasMade_mayHaveBeenApplied() {
        TransientFault reset = classifier.noAnswer(new ProcessingException(new IOException("Connection reset")));
        TransientFault closed = classifier.noAnswer(new ProcessingException("Connection was closed"));
        TransientFault timedOut = classifier.noAnswer(new ProcessingException(
                new IllegalStateException("The timeout period of 1000ms has been exceeded while executing PUT")));

        assertThat(reset.ambiguous()).isTrue();
        assertThat(closed.ambiguous()).isTrue();
        assertThat(timedOut.result()).isEqualTo(RequestResult.TIMEOUT);
        assertThat(timedOut.ambiguous()).isTrue();
    }

    @Test
    void noConnection_wasNeverApplied() {
        for (Throwable cause : new Throwable[] { new ConnectException("Connection refused"),
                new ConnectTimeoutLike("connection timed out: /127.0.0.1:1"), new UnknownHostException("api.invalid"),
                new NoRouteToHostException("No route to host") }) {
            assertThat(classifier.noAnswer(new ProcessingException(cause)).ambiguous()).as(cause.toString()).isFalse();
        }
    }

    @Test
    void theAttemptsTimeout_mayHaveBeenApplied_aFaultThatNeverSentNot() {
        assertThat(FaultClassifier.mayHaveApplied(new TimeoutException("attempt timed out"))).isTrue();
        assertThat(FaultClassifier.mayHaveApplied(new TransientFault(503, null, "", false))).isFalse();
        assertThat(FaultClassifier.mayHaveApplied(new TransientFault(504, null, "", true))).isTrue();
        assertThat(FaultClassifier.mayHaveApplied(new PermanentFault(422, ""))).as("refused: not applied").isFalse();
    }

    /** As Netty's ConnectTimeoutException: a ConnectException whose name says timeout. */
    static final class ConnectTimeoutLike extends ConnectException {
        ConnectTimeoutLike(String message) {
            super(message);
        }
    }
}
