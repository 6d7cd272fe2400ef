package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.ferry.core.Json;

/**
 * CSV per RFC 4180: a header row, then one record per row; a row becomes an object of header → string.
 * Rows are cut at line ends outside quotes (so byte offsets can be checkpointed), and each row's
 * quoting is then parsed by Jackson CSV.
 */
public final class CsvRecordReader extends LineRecordReader {

    private static final ObjectReader ROW = new CsvMapper().readerFor(String[].class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY);
    private static final String BOM = "\uFEFF";

    private final List<String> header;
    private final String headerProblem;
    private boolean emptyReported;

    public CsvRecordReader(Path path, String file, String keyField, int maxBytes, long offset, long linesBefore)
            throws IOException {
        super(file, keyField, maxBytes);
        this.lines = new LineReader(openAt(path, 0), maxBytes, 0, 0);
        List<String> columns = null;
        String problem = null;
        try {
            Row row = nextRow();
            if (row != null) {
                columns = List.of(fields(row));
                problem = checkHeader(columns);
            }
        } catch (RecordParseException e) {
            problem = "the header row is unusable: " + e.reason();
        }
        this.header = columns;
        this.headerProblem = problem;
        if (offset > lines.offset()) {
            lines.close();
            lines = new LineReader(openAt(path, offset), maxBytes, offset, linesBefore);
        } else {
            emptyReported = offset > 0;
        }
    }

    @Override
    public SourceRecord read() throws RecordParseException, IOException {
        if (header == null) {
            if (!emptyReported) {
                emptyReported = true;
                throw new RecordParseException(file, 1, 0, lines.offset(), "", "file is empty");
            }
            return null;
        }
        Row row = nextRow();
        if (row == null) {
            return null;
        }
        if (headerProblem != null) {
            throw row.reject(headerProblem);
        }
        String[] values = fields(row);
        if (values.length != header.size()) {
            throw row.reject("row has " + values.length + " fields, the header has " + header.size());
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        for (int i = 0; i < values.length; i++) {
            record.put(header.get(i), values[i]);
        }
        return record(row.first, row.last, row.text, record);
    }

    /** One CSV row: one line, or several when a quoted field holds line breaks. */
    private final class Row {
        final LineReader.Line first;
        LineReader.Line last;
        String text;

        Row(LineReader.Line first) {
            this.first = first;
            this.last = first;
        }

        RecordParseException reject(String reason) {
            return new RecordParseException(file, first.number(), first.offset(), last.end(), text, reason);
        }
    }

    private Row nextRow() throws IOException, RecordParseException {
        LineReader.Line line;
        do {
            line = lines.next();
            if (line == null) {
                return null;
            }
        } while (!line.tooLong() && line.isBlank());
        Row row = new Row(line);
        int quotes = line.quotes();
        long bytes = line.end() - line.offset();
        StringBuilder text = new StringBuilder();
        RecordParseException problem = null;
        try {
            text.append(text(line));
        } catch (RecordParseException e) {
            problem = e;
            text.append(e.input());
        }
        while (quotes % 2 == 1) { // inside a quoted field: the row goes on
            LineReader.Line more = lines.next();
            if (more == null) {
                row.text = text.toString();
                throw row.reject("unterminated quoted field");
            }
            row.last = more;
            quotes += more.quotes();
            bytes += more.end() - more.offset();
            if (problem == null) {
                try {
                    text.append('\n').append(text(more));
                } catch (RecordParseException e) {
                    problem = e;
                }
            }
        }
        row.text = text.toString();
        if (problem != null) {
            throw row.reject(problem.reason());
        }
        if (bytes > maxBytes + 2L * (row.last.number() - row.first.number() + 1)) {
            row.text = row.text.substring(0, Math.min(row.text.length(), LineReader.EXCERPT_BYTES)) + "…";
            throw row.reject("row is longer than ferry.record.max-bytes (" + maxBytes + " bytes)");
        }
        return row;
    }

    private String[] fields(Row row) throws RecordParseException {
        String text = row.first.number() == 1 && row.text.startsWith(BOM) ? row.text.substring(1) : row.text;
        try (MappingIterator<String[]> rows = ROW.readValues(text)) {
            return rows.hasNext() ? rows.next() : new String[0];
        } catch (IOException | RuntimeException e) {
            throw row.reject("malformed CSV: " + e.getMessage());
        }
    }

    private static String checkHeader(List<String> columns) {
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
}
