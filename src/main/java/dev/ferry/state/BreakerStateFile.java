package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.core.Json;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code state/breaker.json}: the breaker's state and the time it may let a trial through, so that it
 * outlives the process: a run that starts while the last one's breaker is open sends one trial first.
 */
@ApplicationScoped
public class BreakerStateFile {

    /** What is kept: OPEN or HALF_OPEN with the earliest trial time, or CLOSED. */
    @RegisterForReflection
    public record Saved(String state, Instant openedAt, Instant trialAt) {
        public boolean closed() {
            return "CLOSED".equals(state);
        }
    }

    private final DataDir dataDir;

    public BreakerStateFile(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    public Optional<Saved> read() {
        Path path = path();
        try {
            return Files.exists(path) ? Optional.of(Json.MAPPER.readValue(path.toFile(), Saved.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable: start closed, as a breaker without history would
        }
    }

    public void write(Saved saved) throws IOException {
        AtomicFiles.write(path(), Json.MAPPER.writeValueAsBytes(saved));
    }

    private Path path() {
        return dataDir.state().resolve("breaker.json");
    }
}
