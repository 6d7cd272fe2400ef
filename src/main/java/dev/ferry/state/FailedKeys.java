package dev.ferry.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.RegularFiles;

/**
 * Keys that have a record waiting in failed/ ahead of the records being processed now. A newer
 * record of such a key is not sent: it follows the older one into failed/, so that a replay can never
 * overwrite newer data. Thread-safe.
 */
public final class FailedKeys {

    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    /**
     * The keys of the given failed/ files, as listed ({@link DataDir#failedFiles}): a listed path reaches a file whose
     * name the locale cannot turn back into a path ({@link SafeNames#encodable}). An entry that is not a regular file,
     * or cannot be read, is skipped (never opened when it is no regular file): the replay sets it aside in quarantine/.
     */
    public static FailedKeys of(Collection<Path> files) throws IOException {
        FailedKeys failed = new FailedKeys();
        for (Path path : files) {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (BufferedReader lines = StateLines.open(path)) {
                failed.addKeys(lines);
            } catch (AccessDeniedException | RegularFiles.NotRegularFileException unreadable) {
                // set aside by the replay
            }
        }
        return failed;
    }

    private void addKeys(BufferedReader lines) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            try {
                JsonNode key = Json.MAPPER.readTree(line.getBytes(StateLines.BYTES)).get("key");
                if (key != null) {
                    keys.add(key.asText());
                }
            } catch (IOException | RuntimeException halfWritten) {
                // a line cut short by a crash has no key to block
            }
        }
    }

    public boolean contains(String key) {
        return keys.contains(key);
    }

    public void add(String key) {
        keys.add(key);
    }

    public int size() {
        return keys.size();
    }
}
