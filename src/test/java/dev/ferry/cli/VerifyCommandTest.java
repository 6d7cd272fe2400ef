package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** ferry verify's options: a budget that allows no read is refused before anything is read or written. */
class VerifyCommandTest {

    @Test
    void budgetBelow1_isAUsageError_namingTheOption() {
        for (String budget : new String[] { "0", "-1" }) {
            StringWriter err = new StringWriter();
            CommandLine command = new CommandLine(new VerifyCommand(null)); // never reached: the option is refused
            command.setErr(new PrintWriter(err, true));

            int exit = command.execute("--budget", budget);

            assertThat(exit).as(budget).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(err.toString()).as(budget).contains("--budget " + budget + ": give the most reads, at least 1");
        }
    }
}
