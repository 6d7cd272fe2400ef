package dev.ferry.ingest;

import java.util.Locale;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;

/**
 * What the record readers take from {@code ferry.record.*} and {@code ferry.csv.*}, checked once: build it at the
 * start of a run so that a bad value stops the run before any file is claimed (exit 78).
 *
 * @param keyField    the field holding a record's key; a CSV header must have that column
 * @param maxBytes    longest record in bytes; a longer one, or a quote that does not close within it, is rejected
 * @param maxKeyBytes longest key in UTF-8 bytes
 * @param delimiter   the CSV field delimiter, one ASCII byte
 * @param maker       makes the record to send and its key of the parsed fields
 */
public record ReaderSettings(String keyField, int maxBytes, int maxKeyBytes, byte delimiter, RecordMaker maker) {

    static final String DELIMITER_PROPERTY = "ferry.csv.delimiter";
    /** failed/ files: ferry's own lines, read whole whatever their size, keyed by their "key" field. */
    static final ReaderSettings FAILED_ENTRIES = new ReaderSettings("key", Integer.MAX_VALUE - 16,
            Integer.MAX_VALUE - 16, (byte) ',', RecordMaker.keyField("key"));

    /**
     * The settings of {@code ferry.record.*} and {@code ferry.csv.*}, records made as read (see {@link #with}).
     *
     * @throws ConfigurationError naming {@code ferry.csv.delimiter} when it is not one of the accepted values
     */
    public static ReaderSettings of(FerryConfig config) {
        return new ReaderSettings(config.record().keyField(), config.record().maxBytes(),
                config.record().maxKeyBytes(), delimiter(config.csv().delimiter()),
                RecordMaker.keyField(config.record().keyField()));
    }

    /** Settings whose records are made as read, keyed by {@code keyField}. */
    public ReaderSettings(String keyField, int maxBytes, int maxKeyBytes, byte delimiter) {
        this(keyField, maxBytes, maxKeyBytes, delimiter, RecordMaker.keyField(keyField));
    }

    /** These settings with records made by {@code maker} (the shaping of {@code ferry.record.*}). */
    public ReaderSettings with(RecordMaker maker) {
        return new ReaderSettings(keyField, maxBytes, maxKeyBytes, delimiter, maker);
    }

    /**
     * {@code ,}, {@code ;}, {@code |}, or a tab given as a tab character, as the two characters {@code \t} (what an
     * environment variable holds) or as the word {@code tab}. Quotes, line breaks and letters cannot delimit: they
     * would make rows ambiguous.
     */
    static byte delimiter(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case ",":
            case ";":
            case "|":
                return (byte) value.charAt(0);
            case "\t":
            case "\\t":
            case "tab":
                return '\t';
            default:
                throw new ConfigurationError(DELIMITER_PROPERTY,
                        "'" + value + "' is not a delimiter ferry reads: use , ; | or tab");
        }
    }
}
