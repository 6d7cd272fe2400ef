package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.state.DataDir;
import dev.ferry.status.BacklogTest;
import picocli.CommandLine;

/** ferry status's text: what it says about a last report it cannot read. */
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
}
