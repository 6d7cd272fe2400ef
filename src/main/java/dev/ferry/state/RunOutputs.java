package dev.ferry.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.core.Json;
import dev.ferry.ingest.FailedRecordReader;
import dev.ferry.ingest.RecordParseException;
import dev.ferry.ingest.SourceRecord;

/**
 * What a run writes about its records, each line in its documented format (docs/reference.md, Folders): {@code failed/}
 * and {@code rejected/} (one file each per run, named by {@link FileSequence}) and the delivered index with the keys of
 * the snapshot being delivered. A delete's line carries {@code "operation":"delete"}. {@link #sync()} makes every line
 * so far durable; a checkpoint names the files' sizes, so a resumed run can cut off what came after it.
 * Thread-safe.
 */
public final class RunOutputs implements AutoCloseable {

    private final AppendLog failed;
    private final AppendLog rejected;
    private final DeliveredIndex index;
    private final Clock clock;

    public RunOutputs(DataDir dataDir, FileSequence names, String runId, Clock clock) throws IOException {
        this.failed = new AppendLog(dataDir.failed(), () -> names.nextName(runId));
        this.rejected = new AppendLog(dataDir.rejected(), () -> names.nextName(runId));
        this.index = DeliveredIndex.open(dataDir.state());
        this.clock = clock;
    }

    /**
     * A record that ran out of retries, or (with 0 attempts) follows an earlier record of its key into failed/; a
     * replayed record keeps the count of runs that tried it, and when it first failed.
     */
    public void failed(SourceRecord record, int attempts, String lastError) throws IOException {
        failed(record, attempts, lastError, false);
    }

    /** A re-send of the last version delivered (fresh idempotency key) that ran out of retries: replayed as such. */
    public void resendFailed(SourceRecord record, int attempts, String lastError) throws IOException {
        failed(record, attempts, lastError, true);
    }

    private void failed(SourceRecord record, int attempts, String lastError, boolean resend) throws IOException {
        Instant now = clock.instant();
        SourceRecord.Replayed before = record.replayed();
        int runs = (before == null ? 0 : before.runs()) + (attempts > 0 ? 1 : 0);
        boolean repair = resend || (before != null && before.resend()); // a repair that fails stays a repair
        failed.append(line(new FailedEntry(record.key(), record.idempotencyKey(), record.record(), record.origin(),
                attempts, lastError, now, runs, before == null ? now : before.firstFailedAt(), operation(record),
                repair ? Boolean.TRUE : null)));
    }

    /** A replayed record given up ({@code ferry.failed.max-runs}, {@code ferry.failed.max-age}). */
    public void givenUp(SourceRecord record, String reason) throws IOException {
        rejected.append(line(RejectedEntry.givenUp(record.origin(), reason, record.key(), record.idempotencyKey(),
                record.record(), clock.instant(), operation(record))));
    }

    /**
     * A record (or a delete) the API refused for good.
     *
     * @param unread why the answer's body could not be read, or null
     */
    public void refused(SourceRecord record, int status, String body, String unread) throws IOException {
        RejectedEntry entry = RejectedEntry.refused(record.origin(), status, body, record.key(),
                record.idempotencyKey(), record.record(), clock.instant(), operation(record));
        rejected.append(line(unread == null ? entry : entry.bodyUnread(unread)));
    }

    /** Input that is not a usable record. */
    public void unreadable(RecordParseException problem) throws IOException {
        rejected.append(line(RejectedEntry.unreadable(problem.file() + ":" + problem.line(), problem.reason(),
                problem.input(), clock.instant())));
    }

    /**
     * A record whose request may have been applied without ferry knowing it (an ambiguous answer, or a killed run's
     * request in flight): its key is read back from {@code due} on ({@link AmbiguousKeys}; durable from the next
     * {@link #sync()}, before the checkpoint passes the record).
     */
    public void ambiguous(SourceRecord record, Instant due) throws IOException {
        index.ambiguous().mark(record.key(), record.idempotencyKey(), due);
    }

    /** The run's delivered index: the last versions, and the keys to read back. */
    public DeliveredIndex index() {
        return index;
    }

    /** A record the API accepted, now: the time orders it against rejections of its key ({@code ferry requeue}). */
    public void delivered(SourceRecord record) throws IOException {
        index.delivered(record.key(), record.contentHash(), record.idempotencyKey(),
                Json.MAPPER.writeValueAsBytes(record.record()), clock.instant());
    }

    /** True when the last version delivered of the record's key has the record's content hash. */
    public boolean unchanged(SourceRecord record) {
        return index.unchanged(record.key(), record.contentHash());
    }

    /** The API accepted the DELETE of {@code key} (or had no such record): ferry forgets it. */
    public void deleted(String key) throws IOException {
        index.remove(key);
    }

    /** The keys of the snapshot being delivered, kept in the index's file. */
    public SnapshotKeys snapshotKeys() {
        return index.snapshotKeys();
    }

    /** The keys ferry knows: those delivered and not deleted since. */
    public long knownKeys() {
        return index.size();
    }

    /** fsyncs every line written so far; called before a checkpoint moves past their records. */
    public void sync() throws IOException {
        failed.sync();
        rejected.sync();
        index.commit();
    }

    public AppendLog failedLog() {
        return failed;
    }

    public AppendLog rejectedLog() {
        return rejected;
    }

    /**
     * Undoes what a crashed run appended to failed/ and rejected/ after {@code checkpoint}: the records behind
     * those lines are processed again.
     */
    public static void cutBack(DataDir dataDir, Checkpoint checkpoint) throws IOException {
        cut(dataDir.failed(), checkpoint.failedFile(), checkpoint.failedSize());
        cut(dataDir.rejected(), checkpoint.rejectedFile(), checkpoint.rejectedSize());
    }

    private static void cut(Path folder, String file, long size) throws IOException {
        if (file != null && Files.exists(folder.resolve(file))) {
            AppendLog.truncate(folder.resolve(file), size);
        }
    }

    private static String operation(SourceRecord record) {
        return record.deletes() ? FailedRecordReader.DELETE : null;
    }

    private static String line(Object entry) {
        try {
            return Json.MAPPER.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        failed.close();
        rejected.close();
        index.close();
    }
}
