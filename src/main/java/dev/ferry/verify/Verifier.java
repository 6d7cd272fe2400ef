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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

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
import dev.ferry.state.AtomicFiles;
import dev.ferry.state.DataDir;
import dev.ferry.state.DeliveredLedger;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.FailedKeys;
import dev.ferry.state.FileSequence;
import dev.ferry.state.RunLock;
import dev.ferry.target.TargetConnection;

/**
 * {@code ferry verify}: reads back the last version ferry delivered of every key (from the delivered
 * ledger), paced by {@code ferry.verify.rate}, at most a budget of reads per invocation (a cursor in
 * {@code state/verify-cursor.json} lets {@code --resume} go on from there), and reports matched,
 * missing and different keys.
 */
@ApplicationScoped
public class Verifier {

    static final int LISTED = 1000;
    private static final Logger LOG = Logger.getLogger(Verifier.class);

    private final FerryConfig config;
    private final DataDir dataDir;
    private final GuardedFetcher fetcher;
    private final Clock clock;
    private final Redaction redaction;
    private final TargetConnection target;
    private final RecordFetcher readBack;
    private final FileSequence fileNames;

    public Verifier(FerryConfig config, DataDir dataDir, GuardedFetcher fetcher, Clock clock,
            TargetConnection target, RecordFetcher readBack, FileSequence fileNames) {
        this.config = config;
        this.dataDir = dataDir;
        this.fetcher = fetcher;
        this.clock = clock;
        this.redaction = Redaction.of(config);
        this.target = target;
        this.readBack = readBack;
        this.fileNames = fileNames;
    }

    public VerifyReport verify(boolean repair, boolean resume, OptionalLong maxReads) throws IOException {
        if (config.target().url().isEmpty()) {
            throw new ConfigurationError("ferry.target.url", "not set (FERRY_TARGET_URL): what should be verified?");
        }
        target.check(); // the same credentials, headers and TLS as deliveries
        readBack.startVerify();
        dataDir.prepare();
        Instant started = clock.instant();
        String id = RunIds.next(started);
        Path cursor = dataDir.state().resolve("verify-cursor.json");
        long from = resume && Files.exists(cursor) ? Json.read(Files.readString(cursor)).path("next").asLong() : 0;
        long reads = maxReads.isPresent() ? maxReads.getAsLong() : config.verify().budget().orElse(Long.MAX_VALUE);
        Pass pass = new Pass(from, reads, new RecordUrls(config.target().url().get(), config.verify().path().orElse(config.target().path())));
        LOG.infof("verify %s: reading back from key #%d, at most %d reads, %.1f/s", id, from, reads,
                config.verify().rate());
        DeliveredLedger.forEachLatest(dataDir.state(), pass::check);

        String repairFile = repair && !pass.mismatched.isEmpty() ? writeRepair(id, pass.mismatched) : null;
        boolean finished = pass.stopReason == null && pass.notChecked == 0;
        if (finished) {
            AtomicFiles.delete(cursor);
        } else {
            AtomicFiles.write(cursor, Json.write(Map.of("next", pass.next)).getBytes(StandardCharsets.UTF_8));
        }
        int exitCode = pass.credentialsRefused ? ExitCodes.CREDENTIALS_REFUSED
                : pass.missing + pass.different > 0 ? ExitCodes.MISMATCH
                        : finished ? ExitCodes.OK : ExitCodes.WORK_LEFT;
        VerifyReport report = new VerifyReport(id, started, clock.instant(), exitCode, pass.total, from, pass.matched,
                pass.missing, pass.different, pass.notChecked, finished, pass.missingKeys, pass.differences,
                repairFile, pass.stopReason);
        AtomicFiles.write(dataDir.reports().resolve("verify-" + id + ".json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        LOG.infof("verify %s: exit %d; %d keys, matched %d, missing %d, different %d, not checked %d%s", id, exitCode,
                pass.total, pass.matched, pass.missing, pass.different, pass.notChecked,
                repairFile == null ? "" : "; repair queued in failed/" + repairFile);
        return report;
    }

    /** One pass over the ledger: what was checked and what was found. */
    private final class Pass {
        final long from;
        final long maxReads;
        final RecordUrls urls;
        long position;
        long next;
        long reads;
        long total;
        long matched;
        long missing;
        long different;
        long notChecked;
        String stopReason;
        boolean credentialsRefused;
        final List<String> missingKeys = new ArrayList<>();
        final List<VerifyReport.Difference> differences = new ArrayList<>();
        final Map<String, DeliveredLedger.Entry> mismatched = new LinkedHashMap<>();

        Pass(long from, long maxReads, RecordUrls urls) {
            this.from = from;
            this.maxReads = maxReads;
            this.urls = urls;
            this.next = from;
        }

        void check(DeliveredLedger.Entry sent) {
            long n = position++;
            total++;
            if (n < from) {
                return;
            }
            if (stopReason != null || reads >= maxReads) {
                notChecked++;
                return;
            }
            reads++;
            JsonNode stored;
            try {
                stored = fetcher.fetch(urls.of(sent.key()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop("interrupted");
                return;
            } catch (CircuitBreakerOpenException | TransientFault | TimeoutException unavailable) {
                stop("the API is unavailable: " + (unavailable instanceof TransientFault fault && fault.status() > 0
                        ? redaction.answer(fault.status(), fault.bodyExcerpt(), sent.record())
                        : unavailable.getMessage()));
                return;
            } catch (CredentialsRefused refused) {
                credentialsRefused = true;
                stop(refused.getMessage());
                return;
            } catch (PermanentFault refused) {
                LOG.warnf("verify: %s answered HTTP %d; not checked", redaction.key(sent.key()), refused.status());
                notChecked++;
                next = n + 1;
                return;
            }
            next = n + 1;
            if (stored == null) {
                missing++;
                mismatched.put(sent.key(), sent);
                if (missingKeys.size() < LISTED) {
                    missingKeys.add(sent.key());
                }
                return;
            }
            Map<String, VerifyReport.FieldDiff> diff = diff(sent.record(), stored);
            if (diff.isEmpty()) {
                matched++;
            } else {
                different++;
                mismatched.put(sent.key(), sent);
                if (differences.size() < LISTED) {
                    differences.add(new VerifyReport.Difference(sent.key(), diff));
                }
            }
        }

        private void stop(String reason) {
            stopReason = reason;
            notChecked++;
            LOG.warnf("verify: stopping: %s", reason);
        }
    }

    /** Field → (sent, stored) for every compared field that differs; compared: ferry.verify.fields. */
    Map<String, VerifyReport.FieldDiff> diff(ObjectNode sent, JsonNode stored) {
        Set<String> fields = new LinkedHashSet<>();
        Optional<List<String>> configured = config.verify().fields();
        if (configured.isPresent() && !configured.get().equals(List.of("*"))) {
            fields.addAll(configured.get());
        } else {
            sent.fieldNames().forEachRemaining(fields::add);
            if (configured.isEmpty()) {
                stored.fieldNames().forEachRemaining(fields::add); // unset: the whole object counts
            }
        }
        Map<String, VerifyReport.FieldDiff> diff = new HashMap<>();
        for (String field : fields) {
            JsonNode a = sent.get(field);
            JsonNode b = stored.get(field);
            boolean same = a == null ? b == null : b != null && Json.canonical(a).equals(Json.canonical(b));
            if (!same) {
                diff.put(field, new VerifyReport.FieldDiff(a, b));
            }
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
    private String writeRepair(String id, Map<String, DeliveredLedger.Entry> mismatched) throws IOException {
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
            FailedKeys waiting = FailedKeys.of(dataDir.failed(), dataDir.failedNames());
            Map<String, String> current = new HashMap<>();
            DeliveredLedger.forEachLatest(dataDir.state(), entry -> {
                if (mismatched.containsKey(entry.key())) {
                    current.put(entry.key(), entry.idempotencyKey());
                }
            });
            String name = fileNames.nextName("verify-" + id);
            Path temp = AtomicFiles.createTemp(dataDir.failed().resolve(name));
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (DeliveredLedger.Entry entry : mismatched.values()) {
                    if (!entry.idempotencyKey().equals(current.get(entry.key())) || waiting.contains(entry.key())) {
                        continue; // delivered again since, or a newer version waits in failed/: it replaces the value
                    }
                    Instant now = clock.instant();
                    out.write(Json.MAPPER.writeValueAsString(new FailedEntry(entry.key(),
                            RecordKeys.sha256Hex(entry.idempotencyKey() + "\nrepair:" + id), entry.record(),
                            "verify-" + id, 0, "verify found the API's copy missing or different", now, 0, now)));
                    out.newLine();
                }
            }
            AtomicFiles.commit(temp, dataDir.failed().resolve(name));
            return name;
        }
    }
}
