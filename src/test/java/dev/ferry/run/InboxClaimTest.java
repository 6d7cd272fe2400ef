package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.ingest.Inbox;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.FileSequence;
import dev.ferry.state.RunOutputs;

/** Claiming an inbox file: checkpoint first, then the rename; a file gone since the listing is skipped. */
class InboxClaimTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    DataDir dataDir;
    Checkpoints checkpoints;

    @BeforeEach
    void setUp() {
        dataDir = new DataDir(root);
        dataDir.prepare();
        checkpoints = new Checkpoints(dataDir);
    }

    @Test
    void fileDeletedBetweenListingAndClaim_isSkipped_andItsCheckpointDeleted() throws Exception {
        Files.writeString(dataDir.inbox().resolve("a.csv"), "id\n1\n");
        Inbox.Entry listed = new Inbox(dataDir.inbox(), Duration.ZERO, CLOCK).next().orElseThrow();
        Files.delete(listed.path());

        Optional<Checkpoint> claimed;
        try (RunOutputs outputs = new RunOutputs(dataDir, new FileSequence(dataDir), "run-1", CLOCK)) {
            claimed = InboxClaim.claim(dataDir, checkpoints, outputs, listed.path(), "claim-1");
        }

        assertThat(claimed).isEmpty();
        assertThat(DataDir.names(dataDir.state().resolve("checkpoints"))).isEmpty();
        assertThat(DataDir.names(dataDir.processing())).isEmpty();
    }

    @Test
    void listedFile_isMovedToProcessing_afterItsCheckpoint() throws Exception {
        Files.writeString(dataDir.inbox().resolve("a.csv"), "id\n1\n");
        Inbox.Entry listed = new Inbox(dataDir.inbox(), Duration.ZERO, CLOCK).next().orElseThrow();

        Optional<Checkpoint> claimed;
        try (RunOutputs outputs = new RunOutputs(dataDir, new FileSequence(dataDir), "run-1", CLOCK)) {
            claimed = InboxClaim.claim(dataDir, checkpoints, outputs, listed.path(), "claim-1");
        }

        assertThat(claimed).get().extracting(Checkpoint::file, Checkpoint::offset).containsExactly("a.csv", 0L);
        assertThat(checkpoints.read(Checkpoint.Kind.SOURCE, "a.csv")).isEqualTo(claimed);
        assertThat(dataDir.processing().resolve("a.csv")).hasContent("id\n1\n");
    }
}
