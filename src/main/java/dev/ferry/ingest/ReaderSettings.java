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
 */
public record ReaderSettings(String keyField, int maxBytes, int maxKeyBytes, byte delimiter) {

    static final String DELIMITER_PROPERTY = "ferry.csv.delimiter";

    /** @throws ConfigurationError naming {@code ferry.csv.delimiter} when it is not one of the accepted values */
    public static ReaderSettings of(FerryConfig config) {
        return new ReaderSettings(config.record().keyField(), config.record().maxBytes(),
                config.record().maxKeyBytes(), delimiter(config.csv().delimiter()));
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
