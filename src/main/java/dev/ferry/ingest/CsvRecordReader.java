package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/**
 * CSV (dialect in {@link CsvRowReader}): a header row, then one record per row; a row becomes an object of
 * header → string. A header without the key column, or holding a {@code \r} (lines ended by {@code \r} alone, which
 * the dialect reads as data: the whole file would be one header row and its records lost), makes the whole file
 * unreadable; a header with an empty or a repeated column name rejects every row, each with its raw text, so that
 * nothing is sent under a wrong name.
 * The header is read from the start of the file on every opening, then reading goes on from the checkpoint.
 */
public final class CsvRecordReader implements RecordReader {

    private final SourceRecords records;
    private final List<String> header;
    private final String headerProblem;
    private final long headerLines;
    private CsvRowReader rows;
    private boolean emptyReported;

    /**
     * @param claimId the claim of the file, part of every record's idempotency key
     * @throws UnreadableFileException when the header lacks a column the key is made of, or cannot be read
     *                                 as a header at all, or the file cannot be opened
     */
    public CsvRecordReader(Path path, String file, String claimId, ReaderSettings settings, long offset,
            long linesBefore)
            throws IOException, UnreadableFileException {
        this.records = new SourceRecords(file, claimId, SourceFormat.CSV, settings);
        this.rows = open(path, settings, 0, 0);
        try {
            if (rows.next()) {
                this.header = header(rows, settings.maker().keyColumns());
                this.headerProblem = checkNames(header);
            } else {
                this.header = null;
                this.headerProblem = null;
            }
            if (offset > 0) { // what lies before the checkpoint was accounted for by the run that read it
                rows.close();
                rows = open(path, settings, offset, linesBefore);
                this.headerLines = 0;
                this.emptyReported = true;
            } else {
                this.headerLines = header == null ? 0 : rows.lastLine() - rows.firstLine() + 1;
            }
        } catch (IOException | UnreadableFileException | RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    private static CsvRowReader open(Path path, ReaderSettings settings, long offset, long linesBefore)
            throws IOException, UnreadableFileException {
        return new CsvRowReader(SourceFiles.openAt(path, offset), settings.delimiter(), settings.maxBytes(), offset,
                linesBefore);
    }

    private static List<String> header(CsvRowReader row, Set<String> keyColumns) throws UnreadableFileException {
        if (row.problem() != null) {
            throw new UnreadableFileException("the header row is unusable: " + row.problem());
        }
        if (!row.validUtf8()) {
            throw new UnreadableFileException("the header row is not valid UTF-8");
        }
        List<String> columns = new ArrayList<>(row.fieldCount());
        for (int i = 0; i < row.fieldCount(); i++) {
            columns.add(row.field(i));
        }
        if (columns.stream().anyMatch(column -> column.indexOf('\r') >= 0)) { // a lone '\r' is data to the dialect
            throw new UnreadableFileException("the header row holds a carriage return (\\r) that ends no line: lines"
                    + " must end with \\n or \\r\\n, and with \\r alone the whole file reads as one header row");
        }
        for (String keyColumn : keyColumns) {
            if (!columns.contains(keyColumn)) {
                throw new UnreadableFileException("the header row has no column '" + keyColumn
                        + "', which the key is made of (ferry.record.key-field, ferry.record.key), so no row has a key");
            }
        }
        return List.copyOf(columns);
    }

    private static String checkNames(List<String> columns) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (String column : columns) {
            if (column.isBlank()) {
                return "the header row has an empty column name";
            }
            if (!seen.add(column)) {
                duplicates.add(column);
            }
        }
        return duplicates.isEmpty() ? null : "the header row repeats column(s) " + duplicates;
    }

    @Override
    public SourceRecord read() throws RecordParseException, IOException {
        if (header == null) {
            if (!emptyReported) {
                emptyReported = true;
                throw records.emptyFile(0);
            }
            return null;
        }
        if (!rows.next()) {
            return null;
        }
        if (rows.problem() != null) {
            throw reject(rows.problem());
        }
        if (headerProblem != null) {
            throw reject(headerProblem);
        }
        if (!rows.validUtf8()) {
            throw reject("row is not valid UTF-8");
        }
        if (rows.fieldCount() != header.size()) {
            throw reject("row has " + rows.fieldCount() + " fields, the header has " + header.size());
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        for (int i = 0; i < header.size(); i++) {
            record.put(header.get(i), rows.field(i));
        }
        try {
            return records.record(rows.firstLine(), rows.lastLine(), rows.offset(), record);
        } catch (RecordMaker.Unusable unusable) {
            throw reject(unusable.getMessage());
        }
    }

    private RecordParseException reject(String reason) {
        return records.reject(rows.firstLine(), rows.lastLine(), rows.offset(), rows.text(), reason);
    }

    @Override
    public long position() {
        return rows.position();
    }

    @Override
    public long line() {
        return rows.lines();
    }

    @Override
    public long skippedLines() {
        return headerLines + rows.blankLines();
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
