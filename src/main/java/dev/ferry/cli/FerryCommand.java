package dev.ferry.cli;

import java.util.concurrent.Callable;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** {@code ferry}: without a subcommand it does {@code run}, as the CronJob expects. */
@TopCommand
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Keeps an external API equal to the data files dropped into its inbox.",
        subcommands = { RunCommand.class, StatusCommand.class, DemoCommand.class, VerifyCommand.class,
                RequeueCommand.class, ServeCommand.class, CheckConfigCommand.class })
public class FerryCommand implements Callable<Integer> {

    private final RunCommand run;

    public FerryCommand(RunCommand run) {
        this.run = run;
    }

    @Override
    public Integer call() throws Exception {
        return run.call();
    }
}
