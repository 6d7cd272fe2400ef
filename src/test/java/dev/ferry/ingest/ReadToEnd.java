package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
