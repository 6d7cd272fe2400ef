package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestClock;
import dev.ferry.delivery.Redaction;
import dev.ferry.requeue.Requeuer;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.FileSequence;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RunLock;
import picocli.CommandLine;

/** ferry requeue's command line: options, the refusal of a bad filter, the summary on stdout and the exit code. */
class RequeueCommandTest {

    @TempDir
    Path root;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command;

    @BeforeEach
    void commandLine() {
        DataDir dataDir = new DataDir(root);
        TestClock clock = new TestClock();
        Requeuer requeuer = new Requeuer(new Redaction(List.of(), "id"), dataDir,
                new FileSequence(dataDir), new Checkpoints(dataDir), new Quarantine(dataDir, clock), clock);
        command = new CommandLine(new RequeueCommand(requeuer));
        command.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    @Test
    void badStatus_isAUsageError_namingTheOption() {
        int exit = command.execute("--status", "99x");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--status 99x: give an HTTP status (422), a class (4xx) or given-up");
    }

    @Test
    void noFilter_isRefused_askingForAll() {
        int exit = command.execute();

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("requeue everything in rejected/? pass --all");
    }

    @Test
    void lockHeld_exits75_withTheReasonOnStdout() throws Exception {
        new DataDir(root).prepare();
        try (RunLock run = RunLock.tryAcquire(root.resolve("state")).orElseThrow()) {
            int exit = command.execute("--status", "422", "--status", "4xx");

            assertThat(exit).isEqualTo(75);
        }
        assertThat(out.toString()).contains("a run holds the lock; try again after it");
    }

    @Test
    void nothingInRejected_exits0() {
        new DataDir(root).prepare();

        int exit = command.execute("--all", "--dry-run");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("(dry run): no record in rejected/ matches the filters");
    }
}
