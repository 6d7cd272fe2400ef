package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The input formats, told apart by file extension. */
public enum SourceFormat {
    CSV, NDJSON;

    /** The format of an inbox file name, or empty when ferry does not take that file. */
    public static Optional<SourceFormat> of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return Optional.of(NDJSON);
        }
        return Optional.empty();
    }

    /**
     * A reader of {@code path} from byte {@code offset}, {@code linesBefore} lines behind it (a checkpoint; 0, 0
     * for the whole file).
     *
     * @param claimId the claim of the file (kept in its checkpoint), part of its records' idempotency keys
     * @throws UnreadableFileException when the whole file is to be set aside (quarantine/), not read
     * @throws IOException             when the volume fails
     */
    public RecordReader open(Path path, ReaderSettings settings, String claimId, long offset, long linesBefore)
            throws IOException, UnreadableFileException {
        String file = path.getFileName().toString();
        return switch (this) {
            case CSV -> new CsvRecordReader(path, file, claimId, settings, offset, linesBefore);
            case NDJSON -> new NdjsonRecordReader(path, file, claimId, settings, offset, linesBefore);
        };
    }
}
