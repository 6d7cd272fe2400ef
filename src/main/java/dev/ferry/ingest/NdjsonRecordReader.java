package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.Json;

/** NDJSON / JSON Lines: one JSON object per non-blank line. */
public final class NdjsonRecordReader extends LineRecordReader {

    private boolean sawContent;
    private final boolean fromStart;

    public NdjsonRecordReader(Path path, String file, String keyField, int maxBytes, long offset, long linesBefore)
            throws IOException {
        super(file, keyField, maxBytes);
        this.lines = new LineReader(openAt(path, offset), maxBytes, offset, linesBefore);
        this.fromStart = offset == 0;
    }

    @Override
    public SourceRecord read() throws RecordParseException, IOException {
        LineReader.Line line;
        do {
            line = lines.next();
            if (line == null) {
                if (fromStart && !sawContent) {
                    sawContent = true; // report the empty file once
                    throw new RecordParseException(file, 1, 0, lines.offset(), "", "file is empty");
                }
                return null;
            }
        } while (!line.tooLong() && line.isBlank());
        sawContent = true;
        String text = text(line);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw reject(line, text, "malformed JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw reject(line, text, "not a JSON object");
        }
        return record(line, line, text, object);
    }
}
