package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.status.BacklogTest;
import picocli.CommandLine;

/** ferry status's text: what it says about state it cannot read. */
class StatusCommandTest {

    @TempDir
    Path root;

    @Test
    void emptyLastReport_isSaidToBeUnreadable_notShownAsARunThatExited0() throws Exception {
        DataDir dataDir = new DataDir(root);
        dataDir.prepare();
        Files.writeString(dataDir.reports().resolve(BacklogTest.REPORT), "");
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new StatusCommand(BacklogTest.of(dataDir)));
        command.setOut(new PrintWriter(out, true));

        int exit = command.execute();

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("last run      cannot be read: reports/" + BacklogTest.REPORT + ": empty")
                .doesNotContain("exit 0");
    }

    @Test
    void corruptCheckpoint_isSaidToSendItsFileToQuarantine_notToResumeAtLine0() throws Exception {
        DataDir dataDir = new DataDir(root);
        dataDir.prepare();
        Files.writeString(dataDir.processing().resolve("a.csv"), "id,n\n1,a\n");
        Path checkpoint = dataDir.state().resolve("checkpoints")
                .resolve(Checkpoints.fileName(Checkpoint.Kind.SOURCE, "a.csv"));
        Files.createDirectories(checkpoint.getParent());
        Files.writeString(checkpoint, "garb");
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new StatusCommand(BacklogTest.of(dataDir)));
        command.setOut(new PrintWriter(out, true));

        int exit = command.execute();

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("in progress   a.csv (source): state/checkpoints/").contains(" is corrupt: ")
                .contains("the next run sets it aside in quarantine/").doesNotContain("checkpoint after line 0");
    }
}
