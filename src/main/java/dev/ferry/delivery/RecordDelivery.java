package dev.ferry.delivery;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Json;
import dev.ferry.core.Outcome;
import dev.ferry.core.StopSignal;
import dev.ferry.ingest.SourceRecord;

/**
 * Delivers one record, to its end: the one entry point of the delivery layer. In order, a record
 * <ol>
 * <li>takes a slot of the {@link AdaptiveConcurrency} (before the breaker: a record let through must not then
 * wait for a slot), kept through its retries;</li>
 * <li>waits for the {@link BreakerGate}'s pass (a carried-over breaker's trial, or an ordinary pass);</li>
 * <li>goes through the SmallRye-guarded sender: {@link GuardedSender} ({@code @CircuitBreaker}) around
 * {@link RecordSender} ({@code @Retry}, {@code @CustomBackoff}, {@code @RetryWhen}, {@code @Timeout}) around the
 * REST client;</li>
 * <li>and the fault it ends with becomes an outcome: delivered, failed, rejected, or left for the next run when
 * the run stops (refused credentials stop it).</li>
 * </ol>
 * A delete ({@link SourceRecord#deletes()}, a key a snapshot left out) takes the same way as a DELETE on the record
 * URL; "delivered" then means the API no longer holds the record (2xx, 404 or 410).
 * A refusal that says the URL or the API is wrong ({@link RoutingRefusal}) fails its record rather than rejecting
 * it, and {@code ferry.delivery.refusal-stop} of them in a row stop the run (exit 76): a wrong URL or a proxy's error
 * page refuses every record alike, and must not empty the input into rejected/.
 * The slot and the pass are tokens closed on every path. Thread-safe; called by the run's workers.
 */
@ApplicationScoped
public class RecordDelivery {

    private static final Logger LOG = Logger.getLogger(RecordDelivery.class);

    private final GuardedSender sender;
    private final AdaptiveConcurrency concurrency;
    private final BreakerGate gate;
    private final BreakerRecorder breakerRecorder;
    private final RetryBudget budget;
    private final RateLimiter rateLimit;
    private final StopSignal stop;
    private final FerryConfig config;
    private final int refusalStop;
    private volatile RecordUrls urls;
    /** Records refused with a {@link RoutingRefusal} in a row, by the order their deliveries ended. */
    private int refusalsInARow;

    public RecordDelivery(GuardedSender sender, AdaptiveConcurrency concurrency, BreakerGate gate,
            BreakerRecorder breakerRecorder, RetryBudget budget, RateLimiter rateLimit, StopSignal stop,
            FerryConfig config) {
        this.sender = sender;
        this.concurrency = concurrency;
        this.gate = gate;
        this.breakerRecorder = breakerRecorder;
        this.budget = budget;
        this.rateLimit = rateLimit;
        this.stop = stop;
        this.config = config;
        this.refusalStop = config.delivery().refusalStop();
    }

    /** A new run: a fresh retry budget, a slow start, the breaker as the last run left it. */
    public void startRun() {
        urls = new RecordUrls(config.target().url().orElseThrow(), config.target().path());
        budget.reset();
        synchronized (this) {
            refusalsInARow = 0;
        }
        rateLimit.startRun();
        concurrency.startRun();
        gate.startRun(stop);
    }

    /** The run ended: the reader's pause, if one is going on, is counted up to now. */
    public void finishRun() {
        breakerRecorder.finishRun();
    }

    /** Whether the reader may go on reading; see {@link BreakerGate#awaitReadable}. */
    public boolean awaitReadable(Runnable whileWaiting, Duration every) throws InterruptedException {
        return gate.awaitReadable(stop, whileWaiting, every);
    }

    public DeliveryResult deliver(SourceRecord record) {
        Delivery delivery = new Delivery(record, urls.of(record.key()),
                record.deletes() ? null : Json.bytes(record.record()));
        try (AdaptiveConcurrency.Slot slot = concurrency.acquire()) {
            while (true) {
                Optional<BreakerGate.Pass> admitted = gate.awaitPass(stop);
                if (admitted.isEmpty()) {
                    return DeliveryResult.left(delivery);
                }
                try (BreakerGate.Pass pass = admitted.get()) {
                    Optional<DeliveryResult> result = send(delivery, pass);
                    if (result.isPresent()) {
                        return counted(result.get());
                    }
                    gate.awaitChangeSince(pass, stop); // half-open with the trial elsewhere: wait for its outcome
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.left(delivery);
        }
    }

    /** Counts routing-type refusals in a row; the {@code ferry.delivery.refusal-stop}-th stops the run. */
    private DeliveryResult counted(DeliveryResult result) {
        if (result.outcome() == Outcome.LEFT) {
            return result;
        }
        int inARow;
        synchronized (this) {
            refusalsInARow = result.misrouted() ? refusalsInARow + 1 : 0;
            inARow = refusalsInARow;
        }
        if (result.misrouted() && inARow == refusalStop) {
            LOG.errorf("%d records in a row were refused with answers that say the URL or the API is wrong (the last: "
                    + "HTTP %d); ferry.target.url is %s; stopping the run, those records wait in failed/, the rest of "
                    + "the input is untouched", inARow, result.status(), config.target().url().orElseThrow());
            stop.request(StopSignal.Reason.MISROUTED);
        }
        return result;
    }

    /** One pass through the guarded sender; empty when the breaker refused the call (half-open). */
    private Optional<DeliveryResult> send(Delivery delivery, BreakerGate.Pass pass) {
        try {
            sender.deliver(delivery);
            pass.apiAnswered();
            return Optional.of(DeliveryResult.delivered(delivery));
        } catch (CircuitBreakerOpenException refused) {
            return Optional.empty();
        } catch (RoutingRefusal refused) {
            pass.apiAnswered();
            if (refusalStop == 0) {
                return Optional.of(DeliveryResult.rejected(delivery, refused));
            }
            return Optional.of(DeliveryResult.misrouted(delivery, refused));
        } catch (PermanentFault refused) {
            pass.apiAnswered();
            return Optional.of(DeliveryResult.rejected(delivery, refused));
        } catch (CredentialsRefused refused) {
            pass.apiAnswered();
            if (!stop.requested()) {
                LOG.errorf("%s; stopping the run, input untouched", refused.getMessage());
            }
            stop.request(StopSignal.Reason.CREDENTIALS_REFUSED);
            return Optional.of(DeliveryResult.left(delivery));
        } catch (ConfigurationError wrong) { // e.g. TlsRefused: the same for every record
            pass.apiAnswered();
            if (!stop.requested()) {
                LOG.errorf("configuration error: %s; stopping the run, input untouched", wrong.getMessage());
            }
            stop.request(StopSignal.Reason.CONFIGURATION);
            return Optional.of(DeliveryResult.left(delivery));
        } catch (RunStopping stopping) {
            return Optional.of(DeliveryResult.left(delivery));
        } catch (TransientFault | TimeoutException fault) {
            if (stop.requested()) {
                return Optional.of(DeliveryResult.left(delivery)); // retries cut short by the stop: the record stays
            }
            pass.apiFailed();
            return Optional.of(DeliveryResult.failed(delivery, fault.getMessage()));
        }
    }
}
