package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.run.FerryRun;
import dev.ferry.run.SigtermHandler;
import dev.ferry.core.StopSignal;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "One run: resume, replay failed/, deliver the inbox, write a report. Exit 0, 75, 77, 78 or 1.")
public class RunCommand implements Callable<Integer> {

    private final FerryRun run;
    private final StopSignal stop;

    public RunCommand(FerryRun run, StopSignal stop) {
        this.run = run;
        this.stop = stop;
    }

    @Override
    public Integer call() throws Exception {
        // kept until the process exits: a SIGTERM that comes after the run, while Quarkus stops, only
        // sets the stop flag instead of racing Quarkus's own shutdown through the JVM's hooks
        SigtermHandler.install(stop);
        return run.run().exitCode();
    }
}
