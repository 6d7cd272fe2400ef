package dev.ferry.run;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.StopSignal;
import dev.ferry.delivery.CredentialsRefused;
import dev.ferry.delivery.DeliveryResult;
import dev.ferry.delivery.PermanentFault;
import dev.ferry.delivery.RecordDelivery;
import dev.ferry.delivery.RecordUrls;
import dev.ferry.delivery.Redaction;
import dev.ferry.delivery.TransientFault;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.readback.FieldComparison;
import dev.ferry.readback.GuardedFetcher;
import dev.ferry.readback.RecordFetcher;
import dev.ferry.state.AmbiguousKeys;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.RunReport;

/**
 * The last step of a run that drained its sources (docs/reference.md, Ambiguous deliveries): the keys whose
 * delivery met an ambiguous answer ({@link AmbiguousKeys}) and are due are checked against the last version the
 * index holds, when no delivery of theirs can be in flight. A key
 * <ul>
 * <li>with a newer version waiting in failed/ stays for later: its replay comes first;</li>
 * <li>whose request that may land late was of its last version (same Idempotency-Key) is confirmed without a read:
 * that request carries the same content;</li>
 * <li>otherwise is read back (paced by {@code ferry.verify.rate}, through the read-backs' retries and breaker) and
 * compared by {@code ferry.verify.fields}: equal, confirmed; missing, different or unreadable (a refused GET), its last
 * version is re-sent with a fresh Idempotency-Key (an API that honours the old one would answer from its memory and
 * change nothing) through {@link RecordDelivery}, with the deliveries' rate limit, retries and breaker.</li>
 * </ul>
 * A re-send is marked, and the mark committed, before it goes out: it may land late as well. One that fails goes to
 * failed/ as a re-send; one that is refused goes to rejected/. Keys not due yet stay for a later run; a run does not
 * wait for them (a CronJob's next run, or serve's next schedule, reads them).
 */
@ApplicationScoped
class Reconciliation {

    static final String PROPERTY = "ferry.verify.ambiguous-after";
    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    /** Due keys taken from the index at a time. */
    private static final int BATCH = 500;

    private final FerryConfig config;
    private final DataDir dataDir;
    private final RecordDelivery delivery;
    private final GuardedFetcher fetcher;
    private final RecordFetcher readBacks;
    private final FieldComparison comparison;
    private final StopSignal stop;
    private final Clock clock;
    private final Redaction redaction;

    Reconciliation(FerryConfig config, DataDir dataDir, RecordDelivery delivery, GuardedFetcher fetcher,
            RecordFetcher readBacks, FieldComparison comparison, StopSignal stop, Clock clock) {
        this.config = config;
        this.dataDir = dataDir;
        this.delivery = delivery;
        this.fetcher = fetcher;
        this.readBacks = readBacks;
        this.comparison = comparison;
        this.stop = stop;
        this.clock = clock;
        this.redaction = Redaction.of(config);
    }

    /**
     * {@code ferry.verify.ambiguous-after}, checked.
     *
     * @throws ConfigurationError it is negative (exit 78)
     */
    static Duration ambiguousAfter(FerryConfig config) {
        Duration after = config.verify().ambiguousAfter();
        if (after.isNegative()) {
            throw new ConfigurationError(PROPERTY, "may not be negative (" + after + "); 0 turns it off");
        }
        return after;
    }

    /**
     * Checks the keys due, when {@code drained} (every source settled, nothing in flight) and the run goes on;
     * otherwise, or with {@code ferry.verify.ambiguous-after} 0, only counts what is pending.
     */
    RunReport.Ambiguous reconcile(RunContext run, boolean drained) throws IOException {
        Duration after = ambiguousAfter(config);
        AmbiguousKeys keys = run.outputs.index().ambiguous();
        Pass pass = new Pass(run, keys, after);
        if (!after.isZero() && drained && run.fatal() == null && !stop.requested()) {
            pass.run();
            run.outputs.sync();
        }
        RunReport.Ambiguous result = new RunReport.Ambiguous(pass.confirmed, pass.resent, pass.resendFailed,
                pass.dropped, keys.size(), keys.earliestDue().orElse(null));
        if (pass.checked > 0 || result.pending() > 0) {
            LOG.infof("ambiguous deliveries: %d due key(s) checked: confirmed %d, re-sent %d, re-sends failed %d, "
                    + "dropped %d; %d pending%s", pass.checked, result.confirmed(), result.resent(),
                    result.resendFailed(), result.dropped(), result.pending(),
                    result.nextDue() == null ? "" : " (next due " + result.nextDue() + ")");
        }
        return result;
    }

    /** One pass over the keys due now, batch by batch. */
    private final class Pass {
        final RunContext run;
        final AmbiguousKeys keys;
        final Duration after;
        final Instant now = clock.instant();
        final RecordUrls urls = new RecordUrls(config.target().url().orElseThrow(),
                config.verify().path().orElse(config.target().path()));
        final String source;
        FailedKeys waiting;
        long checked;
        long confirmed;
        long resent;
        long resendFailed;
        long dropped;

        Pass(RunContext run, AmbiguousKeys keys, Duration after) {
            this.run = run;
            this.keys = keys;
            this.after = after;
            this.source = "reconcile-" + run.runId;
        }

        void run() throws IOException {
            waiting = FailedKeys.of(DataDir.files(dataDir.failed()));
            readBacks.startPass();
            String afterKey = null;
            while (true) {
                List<AmbiguousKeys.Entry> batch = new ArrayList<>(BATCH);
                keys.forEachDue(now, afterKey, entry -> batch.add(entry) && batch.size() < BATCH);
                for (AmbiguousKeys.Entry entry : batch) {
                    if (stop.requested() || run.fatal() != null || !check(entry)) {
                        return;
                    }
                    afterKey = entry.key();
                }
                if (batch.size() < BATCH) {
                    return;
                }
            }
        }

        /** One due key; false when the pass stops here (the API unavailable, the run stopping). */
        boolean check(AmbiguousKeys.Entry entry) throws IOException {
            String key = entry.key();
            if (waiting.contains(key) || run.failedKeys.contains(key)) {
                return true; // its newer version is replayed first; checked after that
            }
            checked++;
            Optional<DeliveredIndex.Entry> last = run.outputs.index().get(key);
            if (last.isEmpty()) {
                LOG.infof("ambiguous delivery of %s: no version of it was delivered, nothing to hold the API to",
                        redaction.key(key));
                dropped += keys.remove(entry) ? 1 : 0;
                return true;
            }
            if (entry.idempotencyKey().equals(Optional.of(last.get().idempotencyKey()))) {
                confirmed += keys.remove(entry) ? 1 : 0; // what may land late is the last version itself
                return true;
            }
            JsonNode stored;
            try {
                stored = fetcher.fetch(urls.of(key));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (CircuitBreakerOpenException | TransientFault | TimeoutException unavailable) {
                LOG.warnf("ambiguous deliveries: the API is unavailable for read-backs (%s); the rest waits for a "
                        + "later run", unavailable.getMessage());
                return false;
            } catch (CredentialsRefused refused) {
                LOG.errorf("%s; stopping the run", refused.getMessage());
                stop.request(StopSignal.Reason.CREDENTIALS_REFUSED);
                return false;
            } catch (PermanentFault refused) {
                LOG.warnf("ambiguous delivery of %s: the read-back was refused with HTTP %d; re-sending the last "
                        + "version", redaction.key(key), refused.status());
                return resend(entry, last.get());
            }
            if (stored != null && comparison.differingFields(last.get().record(), stored).isEmpty()) {
                confirmed += keys.remove(entry) ? 1 : 0;
                return true;
            }
            LOG.infof("ambiguous delivery of %s: the API holds %s; re-sending the last version", redaction.key(key),
                    stored == null ? "nothing" : "another version");
            return resend(entry, last.get());
        }

        /** Re-sends the last version under a fresh Idempotency-Key; false when the run stopped first. */
        boolean resend(AmbiguousKeys.Entry entry, DeliveredIndex.Entry last) throws IOException {
            String fresh = RecordKeys.sha256Hex(last.idempotencyKey() + "\nresend:" + run.runId);
            SourceRecord record = new SourceRecord(source, 0, 0, 0, entry.key(), last.record(), fresh, source, null,
                    last.contentHash(), SourceRecord.Operation.UPSERT);
            // what may land late from now on is this request alone; marked durably before it goes out
            keys.remove(entry);
            AmbiguousKeys.Entry sending = keys.mark(entry.key(), fresh, clock.instant().plus(after));
            run.outputs.index().commit();
            DeliveryResult result = delivery.deliver(record);
            if (result.ambiguousAt() != null) {
                keys.mark(entry.key(), fresh, result.ambiguousAt().plus(after));
            }
            switch (result.outcome()) {
                case DELIVERED -> {
                    run.outputs.delivered(record);
                    keys.remove(sending); // applied now, not later: unless an attempt was ambiguous (marked again)
                    resent++;
                }
                case FAILED -> {
                    run.outputs.resendFailed(record, result.attempts(), result.error());
                    run.failedKeys.add(entry.key());
                    resendFailed++;
                }
                case REJECTED -> {
                    run.outputs.refused(record, result.status(), result.body(), result.error());
                    keys.remove(sending);
                    resendFailed++;
                }
                default -> {
                    return false; // LEFT: the run stops
                }
            }
            return true;
        }
    }
}
