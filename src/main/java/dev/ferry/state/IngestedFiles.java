package dev.ferry.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

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
        try (FileChannel ledger = FileChannel.open(dataDir.state().resolve("ingested.ndjson"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), FileModes.file())) {
            ByteBuffer line = ByteBuffer.wrap((Json.write(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                ledger.write(line);
            }
        }
    }
}
