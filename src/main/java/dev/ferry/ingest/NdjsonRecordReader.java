package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/**
 * NDJSON / JSON Lines: one JSON object per non-blank line; a UTF-8 byte order mark before the first is dropped. An
 * object that repeats a field name is malformed: which of its values the producer meant is unknown (JSON parsers
 * differ), and keeping only the last would drop the others unseen, or send the record under another key.
 */
public final class NdjsonRecordReader extends LineRecordReader {

    private static final ObjectReader LINE = Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private boolean emptyReported;

    public NdjsonRecordReader(Path path, String file, String claimId, ReaderSettings settings, long offset,
            long linesBefore)
            throws IOException, UnreadableFileException {
        super(path, new SourceRecords(file, claimId, SourceFormat.NDJSON, settings), settings.maxBytes(), offset,
                linesBefore);
        this.emptyReported = offset > 0;
    }

    @Override
    public SourceRecord read() throws RecordParseException, IOException {
        LineReader.Line line = nextLine();
        if (line == null) {
            if (!emptyReported) {
                emptyReported = true; // report the empty file once
                throw records.emptyFile(0);
            }
            return null;
        }
        emptyReported = true;
        String text = text(line);
        JsonNode node;
        try {
            node = LINE.readTree(text);
        } catch (JsonProcessingException e) {
            throw reject(line, text, "malformed JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw reject(line, text, "not a JSON object");
        }
        return record(line, text, object);
    }
}
