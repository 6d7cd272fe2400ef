package dev.ferry.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.ferry.core.Json;

/**
 * Reads {@code rejected/} line by line, each line with its place (file, index), which is how
 * {@link RequeueJournal} names the lines it takes out. Lines are split as {@link BufferedReader#readLine} splits
 * them, here and where the journal rewrites a file, so an index means the same line in both. Reads only regular files
 * (never follows a link); a line that is no rejected/ entry (cut short by a crash, edited by hand) comes with a null
 * entry. Fields this release does not know are ignored, so lines of later releases still read.
 */
public final class RejectedLines {

    private static final ObjectReader ENTRY = Json.MAPPER.readerFor(RejectedEntry.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One line of a rejected/ file.
     *
     * @param file  the file's name in rejected/
     * @param index the line's index in the file, from 0
     * @param entry what it says; null when it is not a rejected/ entry
     */
    public record Line(String file, int index, RejectedEntry entry) {
    }

    /** Receives the lines. */
    @FunctionalInterface
    public interface Reader {
        void line(Line line) throws IOException;
    }

    private RejectedLines() {
    }

    /** Hands every non-blank line of the folder's files to {@code reader}, files in name order, lines in file order. */
    public static void forEach(Path folder, Reader reader) throws IOException {
        for (String name : DataDir.names(folder)) {
            Path path = folder.resolve(name);
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (BufferedReader lines = StateLines.open(path)) {
                int index = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine(), index++) {
                    if (!line.isBlank()) {
                        reader.line(new Line(name, index, entry(line)));
                    }
                }
            }
        }
    }

    private static RejectedEntry entry(String line) {
        try {
            return ENTRY.readValue(line.getBytes(StateLines.BYTES)); // the entry's UTF-8 bytes, decoded by Jackson
        } catch (IOException | RuntimeException notAnEntry) {
            return null;
        }
    }
}
