package dev.ferry.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import dev.ferry.check.DryRun;
import dev.ferry.core.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Checks the configuration as a run does at start, then shapes the first records of each inbox "
                + "file and prints the requests they would be (method, URL, headers with secrets masked, body), or "
                + "why a line would be rejected. Sends nothing, changes nothing. Exit 0, or 78 for a configuration "
                + "error.")
public class CheckConfigCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "3", paramLabel = "N",
            description = "Records shown of each file (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--file", paramLabel = "NAME", description = "Only this inbox file, by name.")
    String file;

    @Spec
    CommandSpec spec;

    private final DryRun dryRun;

    public CheckConfigCommand(DryRun dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public Integer call() throws Exception {
        if (records < 1) {
            throw new ParameterException(spec.commandLine(), "--records must be at least 1, not " + records);
        }
        try {
            dryRun.show(records, Optional.ofNullable(file), spec.commandLine().getOut());
        } catch (DryRun.NotInInbox unknown) {
            throw new ParameterException(spec.commandLine(), "--file: " + unknown.getMessage());
        }
        return ExitCodes.OK;
    }
}
