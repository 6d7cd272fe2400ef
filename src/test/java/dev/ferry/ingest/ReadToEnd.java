package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.ferry.core.Json;

/**
 * Everything a reader yields from its start to the end of the file — records and rejects in order — and the line
 * accounting, checked against {@link LineCount}: the test side of the readers' accounting contract.
 */
record ReadToEnd(List<SourceRecord> records, List<RecordParseException> rejects, List<Object> inOrder,
        List<Checkpoint> checkpoints, long skipped, long position) {

    /** Where a run would checkpoint after an item: the reader's position and line once it is read. */
    record Checkpoint(long offset, long line) {
    }

    static ReadToEnd of(RecordReader reader) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        List<RecordParseException> rejects = new ArrayList<>();
        List<Object> inOrder = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        while (true) {
            try {
                SourceRecord record = reader.read();
                if (record == null) {
                    break;
                }
                records.add(record);
                inOrder.add(record);
            } catch (RecordParseException reject) {
                rejects.add(reject);
                inOrder.add(reject);
            }
            checkpoints.add(new Checkpoint(reader.position(), reader.line()));
        }
        return new ReadToEnd(records, rejects, inOrder, checkpoints, reader.skippedLines(), reader.position());
    }

    /**
     * Reads {@code content} as a file in {@code format} from its start and checks the accounting, then reopens it at
     * every checkpoint and checks that it yields exactly the rest, accounted for as well: what a run resuming after
     * any record or reject would read.
     *
     * @return what reading from the start gave
     */
    static ReadToEnd fromStartAndEveryCheckpoint(SourceFormat format, byte[] content, ReaderSettings settings)
            throws Exception {
        Path file = Files.createTempFile("ferry-generated-", "." + format.name().toLowerCase(Locale.ROOT));
        try {
            Files.write(file, content);
            ReadToEnd whole;
            try (RecordReader reader = format.open(file, settings, "claim-1", 0, 0)) {
                whole = of(reader).assertBalanced(file, 0);
            }
            for (int i = 0; i < whole.checkpoints.size(); i++) {
                Checkpoint checkpoint = whole.checkpoints.get(i);
                if (checkpoint.offset() == 0) {
                    continue; // after an empty file's reject: nothing read, resuming there is reading it again
                }
                try (RecordReader resumed = format.open(file, settings, "claim-1", checkpoint.offset(), checkpoint.line())) {
                    ReadToEnd rest = of(resumed).assertBalanced(file, checkpoint.offset());
                    assertThat(describe(rest.inOrder)).as("resumed after item %d", i)
                            .isEqualTo(describe(whole.inOrder.subList(i + 1, whole.inOrder.size())));
                }
            }
            return whole;
        } finally {
            Files.delete(file);
        }
    }

    /** Items as text that tells them apart by everything a run uses: lines, offset, content or reason. */
    private static List<String> describe(List<Object> items) {
        List<String> described = new ArrayList<>();
        for (Object item : items) {
            described.add(item instanceof SourceRecord r
                    ? "record " + r.line() + "-" + r.lastLine() + "@" + r.offset() + " " + Json.write(r.record())
                    : "reject " + item + "@" + ((RecordParseException) item).offset());
        }
        return described;
    }

    /** Lines accounted for: skipped (header, blank) + every record's lines + every reject's lines. */
    long accountedLines() {
        return skipped + records.stream().mapToLong(SourceRecord::lineCount).sum()
                + rejects.stream().mapToLong(RecordParseException::lineCount).sum();
    }

    /** The accounting balances against an independent line count, and no two items share a line. */
    ReadToEnd assertBalanced(Path file, long fromOffset) throws IOException {
        assertThat(accountedLines()).as("header + blank + record lines + reject lines")
                .isEqualTo(LineCount.of(file, fromOffset));
        long next = 0;
        for (Object item : inOrder) {
            long first = item instanceof SourceRecord r ? r.line() : ((RecordParseException) item).line();
            long last = item instanceof SourceRecord r ? r.lastLine() : ((RecordParseException) item).lastLine();
            assertThat(last).as("last line of %s", item).isGreaterThanOrEqualTo(first - 1);
            if (last >= first) {
                assertThat(first).as("first line of %s", item).isGreaterThan(next);
                next = last;
            }
        }
        return this;
    }
}
