package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/** {@code state/ingested.ndjson}: one line per source file a run finished (name, size, when). Append only. */
@ApplicationScoped
public class IngestedFiles {

    private final DataDir dataDir;

    public IngestedFiles(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    public void add(String file, long bytes, Instant finishedAt) throws IOException {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("file", file);
        entry.put("bytes", bytes);
        entry.put("finishedAt", finishedAt.toString());
        Files.writeString(dataDir.state().resolve("ingested.ndjson"), Json.write(entry) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
