package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every record reader keeps, whatever the format: records in file order with their line
 * numbers, end of input as null, bad lines rejected with line and reason while reading goes on, a restart
 * from a checkpointed offset that continues exactly where it left off, every line of a file accounted for
 * exactly once, a byte order mark dropped, and keys that are usable in a URL or rejected.
 */
abstract class AbstractRecordReaderTest {

    static final int MAX_BYTES = 200;
    static final int MAX_KEY_BYTES = 64;

    @TempDir
    Path folder;

    /** A file of this format holding, in order, records with ids 1, 2 and 3 and a field v = "a", "b", "c". */
    abstract String threeRecords();

    /** A file: record id 1, then a malformed line on line {@link #malformedLine()}, then record id 2. */
    abstract String malformedBetweenTwo();

    abstract int malformedLine();

    /** A single record (id 7) whose content is {@code padding} long. */
    abstract String oneRecordOfSize(int padding);

    /** A file whose record 1 lacks the key field, followed by record id 2. */
    abstract String missingKeyThenOne();

    abstract String extension();

    /** A file holding one record per key, in order, each with the field v = "x". */
    abstract String recordsWithKeys(String... keys);

    /** Line on which the n-th record (1-based) of {@link #threeRecords()} starts. */
    abstract long lineOf(int n);

    RecordReader open(String content, long offset, long linesBefore) throws IOException, UnreadableFileException {
        return open(content.getBytes(StandardCharsets.UTF_8), offset, linesBefore);
    }

    RecordReader open(byte[] content, long offset, long linesBefore) throws IOException, UnreadableFileException {
        Path file = file();
        if (!Files.exists(file)) {
            Files.write(file, content);
        }
        return SourceFormat.of(file.getFileName().toString()).orElseThrow()
                .open(file, settings(), "claim-1", offset, linesBefore);
    }

    ReaderSettings settings() {
        return new ReaderSettings("id", MAX_BYTES, MAX_KEY_BYTES, (byte) ',');
    }

    Path file() {
        return folder.resolve("input." + extension());
    }

    /** Reads the whole file and checks that every line of it is accounted for once. */
    ReadToEnd readBalanced(String content) throws Exception {
        try (RecordReader reader = open(content, 0, 0)) {
            return ReadToEnd.of(reader).assertBalanced(file(), 0);
        }
    }

    @Test
    void read_returnsRecordsInFileOrderThenNull() throws Exception {
        try (RecordReader reader = open(threeRecords(), 0, 0)) {
            List<SourceRecord> records = readAll(reader);
            assertThat(records).extracting(SourceRecord::key).containsExactly("1", "2", "3");
            assertThat(records).extracting(r -> r.record().get("v").asText()).containsExactly("a", "b", "c");
            assertThat(records).extracting(SourceRecord::line).containsExactly(lineOf(1), lineOf(2), lineOf(3));
            assertThat(records.get(0).origin()).isEqualTo("input." + extension() + ":" + lineOf(1));
            assertThat(reader.read()).isNull();
        }
    }

    @Test
    void read_continuesExactly_whenReopenedAtACheckpointedOffset() throws Exception {
        SourceRecord second;
        try (RecordReader reader = open(threeRecords(), 0, 0)) {
            reader.read();
            second = reader.read();
        }
        try (RecordReader resumed = open(threeRecords(), second.offset(), second.line() - 1)) {
            List<SourceRecord> rest = readAll(resumed);
            assertThat(rest).extracting(SourceRecord::key).containsExactly("2", "3");
            assertThat(rest.get(0).line()).isEqualTo(second.line());
            assertThat(rest.get(0).offset()).isEqualTo(second.offset());
            assertThat(rest.get(1).line()).isEqualTo(lineOf(3));
        }
    }

    @Test
    void idempotencyKey_isTheSame_forTheSameRecordReadTwice() throws Exception {
        String first;
        try (RecordReader reader = open(threeRecords(), 0, 0)) {
            first = reader.read().idempotencyKey();
        }
        try (RecordReader again = open(threeRecords(), 0, 0)) {
            assertThat(again.read().idempotencyKey()).isEqualTo(first).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void malformedLine_isRejectedWithItsLine_andReadingGoesOn() throws Exception {
        try (RecordReader reader = open(malformedBetweenTwo(), 0, 0)) {
            assertThat(reader.read().key()).isEqualTo("1");
            RecordParseException bad = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(bad.line()).isEqualTo(malformedLine());
            assertThat(bad.file()).isEqualTo("input." + extension());
            assertThat(bad.reason()).isNotBlank();
            assertThat(bad.input()).isNotBlank();
            assertThat(reader.read().key()).isEqualTo("2");
            assertThat(reader.read()).isNull();
        }
    }

    @Test
    void recordWithoutKey_isRejectedNamingTheKeyField() throws Exception {
        try (RecordReader reader = open(missingKeyThenOne(), 0, 0)) {
            RecordParseException bad = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(bad.reason()).contains("'id'");
            assertThat(reader.read().key()).isEqualTo("2");
        }
    }

    @Test
    void lineLongerThanMaxBytes_isRejectedWithAnExcerpt_andReadingGoesOn() throws Exception {
        String content = oneRecordOfSize(5000) + oneRecordOfSize(10);
        try (RecordReader reader = open(content, 0, 0)) {
            RecordParseException tooLong = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(tooLong.reason()).contains("ferry.record.max-bytes");
            assertThat(tooLong.input().length()).isLessThan(400);
            assertThat(reader.read().key()).isEqualTo("7");
        }
    }

    @Test
    void nonUtf8Line_isRejected_andReadingGoesOn() throws Exception {
        byte[] good = oneRecordOfSize(3).getBytes(StandardCharsets.UTF_8);
        byte[] bad = oneRecordOfSize(3).replace("x", "\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        byte[] content = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, content, 0, bad.length);
        System.arraycopy(good, 0, content, bad.length, good.length);
        try (RecordReader reader = open(content, 0, 0)) {
            RecordParseException notUtf8 = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(notUtf8.reason()).contains("UTF-8");
            assertThat(reader.read().key()).isEqualTo("7");
        }
    }

    @Test
    void emptyFile_isRejectedOnce() throws Exception {
        try (RecordReader reader = open("", 0, 0)) {
            RecordParseException empty = catchThrowableOfType(RecordParseException.class, reader::read);
            assertThat(empty.reason()).isEqualTo("file is empty");
            assertThat(reader.read()).isNull();
        }
    }

    @Test
    void everyLine_isAccountedForOnce_headerBlankRecordsAndRejects() throws Exception {
        assertThat(readBalanced(threeRecords()).records()).hasSize(3);
        Files.delete(file());
        assertThat(readBalanced(malformedBetweenTwo()).rejects()).hasSize(1);
        Files.delete(file());
        assertThat(readBalanced(missingKeyThenOne() + "\n\n").rejects()).hasSize(1);
        Files.delete(file());
        assertThat(readBalanced(oneRecordOfSize(5000) + oneRecordOfSize(10)).rejects()).hasSize(1);
        Files.delete(file());
        assertThat(readBalanced("").rejects()).extracting(RecordParseException::lineCount).containsExactly(0L);
    }

    @Test
    void resumedReading_accountsForEveryLineAfterTheCheckpoint() throws Exception {
        SourceRecord second;
        try (RecordReader reader = open(threeRecords(), 0, 0)) {
            reader.read();
            second = reader.read();
        }
        try (RecordReader resumed = open(threeRecords(), second.offset(), second.line() - 1)) {
            ReadToEnd rest = ReadToEnd.of(resumed).assertBalanced(file(), second.offset());
            assertThat(rest.records()).extracting(SourceRecord::key).containsExactly("2", "3");
            assertThat(rest.rejects()).isEmpty();
        }
    }

    @Test
    void byteOrderMark_isDropped_beforeTheFirstRecord() throws Exception {
        String withBom = "\uFEFF" + threeRecords().replaceFirst("^\uFEFF", "");
        ReadToEnd read = readBalanced(withBom);
        assertThat(read.rejects()).isEmpty();
        assertThat(read.records()).extracting(SourceRecord::key).containsExactly("1", "2", "3");
        assertThat(read.records().get(0).offset()).isEqualTo(bytesBefore(withBom, lineOf(1)));
    }

    @Test
    void fileOfOnlyAByteOrderMark_hasOneBlankLine() throws Exception {
        ReadToEnd read = readBalanced("\uFEFF");
        assertThat(read.skipped()).isEqualTo(1);
        assertThat(read.rejects()).extracting(RecordParseException::reason).containsExactly("file is empty");
    }

    /** Bytes before a line: a checkpoint offset; a BOM counts as part of line 1. */
    private static long bytesBefore(String content, long line) {
        int at = 0;
        for (long n = 1; n < line; n++) {
            at = content.indexOf('\n', at) + 1;
        }
        return content.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void keyLongerThanMaxKeyBytes_isRejectedNamingTheProperty_andReadingGoesOn() throws Exception {
        String fits = "\u00e9".repeat(MAX_KEY_BYTES / 2); // 2 bytes a character: exactly the limit
        ReadToEnd read = readBalanced(recordsWithKeys(fits + "a", fits, "k".repeat(MAX_KEY_BYTES + 1)));
        assertThat(read.records()).extracting(SourceRecord::key).containsExactly(fits);
        assertThat(read.rejects()).hasSize(2).allSatisfy(
                reject -> assertThat(reject.reason()).contains("ferry.record.max-key-bytes (" + MAX_KEY_BYTES));
    }

    @Test
    void blankKey_isRejected_andEveryOtherKeyIsKeptExactly() throws Exception {
        ReadToEnd read = readBalanced(recordsWithKeys("  ", " a ", "...", "a/b", ".x", "x"));
        assertThat(read.records()).extracting(SourceRecord::key).containsExactly(" a ", "...", "a/b", ".x", "x");
        assertThat(read.rejects()).singleElement().satisfies(reject -> assertThat(reject.reason()).contains("'id'"));
    }

    @Test
    void dotSegmentKeys_areRejected_asTheyWouldAddressAnotherPath() throws Exception {
        ReadToEnd read = readBalanced(recordsWithKeys(".", "..", "x"));
        assertThat(read.records()).extracting(SourceRecord::key).containsExactly("x");
        assertThat(read.rejects()).hasSize(2)
                .allSatisfy(reject -> assertThat(reject.reason()).contains("is a dot segment"));
    }

    @Test
    void symbolicLink_isUnreadable_notFollowed() throws Exception {
        Path target = folder.resolve("target.txt");
        Files.writeString(target, threeRecords());
        Files.createSymbolicLink(file(), target);
        UnreadableFileException unreadable = catchThrowableOfType(UnreadableFileException.class,
                () -> open("", 0, 0));
        assertThat(unreadable.reason()).startsWith("cannot be opened");
    }

    static List<SourceRecord> readAll(RecordReader reader) throws Exception {
        List<SourceRecord> records = new ArrayList<>();
        for (SourceRecord record = reader.read(); record != null; record = reader.read()) {
            records.add(record);
        }
        return records;
    }
}
