package dev.ferry.verify;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.core.RunIds;
import dev.ferry.delivery.CredentialsRefused;
import dev.ferry.delivery.PermanentFault;
import dev.ferry.delivery.RecordUrls;
import dev.ferry.delivery.Redaction;
import dev.ferry.delivery.TransientFault;
import dev.ferry.ingest.RecordKeys;
import dev.ferry.readback.FieldComparison;
import dev.ferry.readback.GuardedFetcher;
import dev.ferry.readback.RecordFetcher;
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredIndex;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.FileSequence;
import dev.ferry.state.RunLock;
import dev.ferry.target.TargetConnection;

/**
 * {@code ferry verify}: reads back the last version ferry delivered of every key (from the delivered
 * index, in key order), paced by {@code ferry.verify.rate}, at most a budget of reads per invocation, and
 * reports matched, missing and different keys. A cursor in {@code state/verify-cursor.json} holds the last
 * key handled, so {@code --resume} goes on after it whatever keys runs added or removed since. The index is
 * opened read-only for a moment per batch of keys, never across the paced reads: a run that starts
 * meanwhile waits at most for one batch read, and a verify that finds a run holding the index stops there
 * (exit 75, resume later).
 */
@ApplicationScoped
public class Verifier {

    static final int LISTED = 1000;
    /** Keys read from the index at a time. */
    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(Verifier.class);

    private final FerryConfig config;
    private final DataDir dataDir;
    private final GuardedFetcher fetcher;
    private final Clock clock;
    private final Redaction redaction;
    private final TargetConnection target;
    private final RecordFetcher readBack;
    private final FileSequence fileNames;
    private final FieldComparison comparison;

    public Verifier(FerryConfig config, DataDir dataDir, GuardedFetcher fetcher, Clock clock,
            TargetConnection target, RecordFetcher readBack, FileSequence fileNames, FieldComparison comparison) {
        this.config = config;
        this.dataDir = dataDir;
        this.fetcher = fetcher;
        this.clock = clock;
        this.redaction = Redaction.of(config);
        this.target = target;
        this.readBack = readBack;
        this.fileNames = fileNames;
        this.comparison = comparison;
    }

    public VerifyReport verify(boolean repair, boolean resume, OptionalLong maxReads) throws IOException {
        if (config.target().url().isEmpty()) {
            throw new ConfigurationError("ferry.target.url", "not set (FERRY_TARGET_URL): what should be verified?");
        }
        target.check(); // the same credentials, headers and TLS as deliveries
        readBack.startPass();
        dataDir.prepare();
        Instant started = clock.instant();
        String id = RunIds.next(started);
        Path cursor = dataDir.state().resolve("verify-cursor.json");
        String after = resume ? lastKeyHandled(cursor) : null;
        long reads = maxReads.isPresent() ? maxReads.getAsLong() : config.verify().budget().orElse(Long.MAX_VALUE);
        Pass pass = new Pass(after, reads,
                new RecordUrls(config.target().url().get(), config.verify().path().orElse(config.target().path())));
        LOG.infof("verify %s: reading back %s, at most %d reads, %.1f/s", id,
                after == null ? "from the first key" : "after key " + redaction.key(after), reads,
                config.verify().rate());
        pass.run();

        String repairFile = repair && !pass.mismatched.isEmpty() ? writeRepair(id, pass.mismatched) : null;
        boolean finished = pass.stopReason == null && pass.notChecked == 0;
        if (finished) {
            AtomicFiles.delete(cursor);
        } else {
            AtomicFiles.write(cursor, Json.bytes(Json.MAPPER.createObjectNode().put("after", pass.after)));
        }
        int exitCode = pass.credentialsRefused ? ExitCodes.CREDENTIALS_REFUSED
                : pass.missing + pass.different > 0 ? ExitCodes.MISMATCH
                        : finished ? ExitCodes.OK : ExitCodes.WORK_LEFT;
        VerifyReport report = new VerifyReport(id, started, clock.instant(), exitCode, pass.total, pass.startedAtKey,
                pass.matched, pass.missing, pass.different, pass.notChecked, finished, pass.missingKeys, pass.differences,
                repairFile, pass.stopReason);
        AtomicFiles.write(dataDir.reports().resolve("verify-" + id + ".json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        LOG.infof("verify %s: exit %d; %d keys, matched %d, missing %d, different %d, not checked %d%s", id, exitCode,
                pass.total, pass.matched, pass.missing, pass.different, pass.notChecked,
                repairFile == null ? "" : "; repair queued in failed/" + repairFile);
        return report;
    }

    /** The cursor's last key handled; null (start over) without one, or in the old {"next": n} form. */
    private static String lastKeyHandled(Path cursor) throws IOException {
        if (!Files.exists(cursor)) {
            return null;
        }
        JsonNode after = Json.read(Files.readString(cursor)).get("after");
        return after != null && after.isTextual() ? after.asText() : null;
    }

    /** One pass over the index, batch by batch: what was checked and what was found. */
    private final class Pass {
        final long maxReads;
        final RecordUrls urls;
        /** The last key handled (checked, or skipped for good): where a resumed verify goes on. */
        String after;
        long reads;
        long total;
        long startedAtKey;
        long matched;
        long missing;
        long different;
        long notChecked;
        String stopReason;
        boolean credentialsRefused;
        final List<String> missingKeys = new ArrayList<>();
        final List<VerifyReport.Difference> differences = new ArrayList<>();
        final Map<String, DeliveredIndex.Entry> mismatched = new LinkedHashMap<>();

        Pass(String after, long maxReads, RecordUrls urls) {
            this.after = after;
            this.maxReads = maxReads;
            this.urls = urls;
        }

        void run() throws IOException {
            boolean first = true;
            while (true) {
                List<DeliveredIndex.Entry> batch = new ArrayList<>(BATCH);
                long left;
                try (DeliveredIndex index = DeliveredIndex.openReadOnly(dataDir.state())) {
                    if (first) {
                        total = index.size();
                        startedAtKey = total - index.countAfter(after);
                        first = false;
                    }
                    left = index.countAfter(after);
                    index.forEachFrom(after, entry -> batch.add(entry) && batch.size() < BATCH);
                } catch (DeliveredIndex.Busy busy) {
                    stop("a run is using the delivered index; run verify --resume after it");
                    return;
                }
                for (DeliveredIndex.Entry entry : batch) {
                    if (!check(entry)) {
                        notChecked += left; // this key and every one after it
                        return;
                    }
                    after = entry.key();
                    left--;
                }
                if (batch.size() < BATCH) {
                    return;
                }
            }
        }

        /** Reads one key back; false when the pass stops before it (budget spent, API unavailable). */
        boolean check(DeliveredIndex.Entry sent) {
            if (reads >= maxReads) {
                return false;
            }
            reads++;
            ObjectNode record = sent.record();
            JsonNode stored;
            try {
                stored = fetcher.fetch(urls.of(sent.key()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop("interrupted");
                return false;
            } catch (CircuitBreakerOpenException | TransientFault | TimeoutException unavailable) {
                stop("the API is unavailable: " + (unavailable instanceof TransientFault fault && fault.status() > 0
                        ? redaction.answer(fault.status(), fault.bodyExcerpt(), record)
                        : unavailable.getMessage()));
                return false;
            } catch (CredentialsRefused refused) {
                credentialsRefused = true;
                stop(refused.getMessage());
                return false;
            } catch (PermanentFault refused) {
                LOG.warnf("verify: %s answered HTTP %d; not checked", redaction.key(sent.key()), refused.status());
                notChecked++;
                return true;
            }
            if (stored == null) {
                missing++;
                mismatched.put(sent.key(), sent);
                if (missingKeys.size() < LISTED) {
                    missingKeys.add(sent.key());
                }
                return true;
            }
            Map<String, VerifyReport.FieldDiff> diff = diff(record, stored);
            if (diff.isEmpty()) {
                matched++;
            } else {
                different++;
                mismatched.put(sent.key(), sent);
                if (differences.size() < LISTED) {
                    differences.add(new VerifyReport.Difference(sent.key(), diff));
                }
            }
            return true;
        }

        private void stop(String reason) {
            stopReason = reason;
            LOG.warnf("verify: stopping: %s", reason);
        }
    }

    /** Field → (sent, stored) for every compared field that differs ({@link FieldComparison}). */
    private Map<String, VerifyReport.FieldDiff> diff(ObjectNode sent, JsonNode stored) {
        Map<String, VerifyReport.FieldDiff> diff = new HashMap<>();
        for (String field : comparison.differingFields(sent, stored)) {
            diff.put(field, new VerifyReport.FieldDiff(sent.get(field), stored.get(field)));
        }
        return diff;
    }

    /**
     * Queues the mismatched keys' last sent versions for the next run, as a replay file in failed/
     * (replayed first, before newer inbox files, so per-key order holds). They carry a fresh
     * idempotency key: under the original one, an API that honours Idempotency-Key would answer from
     * its memory and change nothing. Written under the run lock, and only for keys no run has
     * delivered again since they were read.
     */
    private String writeRepair(String id, Map<String, DeliveredIndex.Entry> mismatched) throws IOException {
        Optional<RunLock> lock = RunLock.tryAcquire(dataDir.state());
        if (lock.isEmpty()) {
            LOG.warn("verify: a run holds the lock; the repair is not written (run verify --repair again)");
            return null;
        }
        try (RunLock held = lock.get()) {
            if (!DataDir.names(dataDir.processing()).isEmpty()) {
                // a resumed file is delivered before failed/ is replayed: a repair queued now could overtake a newer
                // version still in it
                LOG.warn("verify: files wait in processing/; the repair is not written (let a run finish them, then "
                        + "run verify --repair again)");
                return null;
            }
            FailedKeys waiting = FailedKeys.of(dataDir.failedFiles());
            Map<String, String> current = new HashMap<>();
            try (DeliveredIndex index = DeliveredIndex.openReadOnly(dataDir.state())) {
                for (String key : mismatched.keySet()) {
                    index.get(key).ifPresent(entry -> current.put(key, entry.idempotencyKey()));
                }
            }
            String name = fileNames.nextName("verify-" + id);
            Path temp = AtomicFiles.createTemp(dataDir.failed().resolve(name));
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (DeliveredIndex.Entry entry : mismatched.values()) {
                    if (!entry.idempotencyKey().equals(current.get(entry.key())) || waiting.contains(entry.key())) {
                        continue; // delivered again since, or a newer version waits in failed/: it replaces the value
                    }
                    Instant now = clock.instant();
                    out.write(Json.MAPPER.writeValueAsString(new FailedEntry(entry.key(),
                            RecordKeys.sha256Hex(entry.idempotencyKey() + "\nrepair:" + id), entry.record(),
                            "verify-" + id, 0, "verify found the API's copy missing or different", now, 0, now, null,
                            Boolean.TRUE))); // resend: it equals the version delivered, which the API lost
                    out.newLine();
                }
            }
            AtomicFiles.commit(temp, dataDir.failed().resolve(name));
            return name;
        }
    }
}
