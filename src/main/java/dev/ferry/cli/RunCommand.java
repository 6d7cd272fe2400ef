package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.StopSignal;
import dev.ferry.run.FerryRun;
import dev.ferry.run.SigtermHandler;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "One run: resume, replay failed/, deliver the inbox, write a report. Exit 0, 75 (or "
                + "ferry.run.work-left-exit-code), 76, 77, 78 or 1.")
public class RunCommand implements Callable<Integer> {

    private final FerryRun run;
    private final StopSignal stop;
    private final int workLeftExitCode;

    public RunCommand(FerryRun run, StopSignal stop, FerryConfig config) {
        this.run = run;
        this.stop = stop;
        this.workLeftExitCode = config.run().workLeftExitCode();
    }

    @Override
    public Integer call() throws Exception {
        // kept until the process exits: a SIGTERM that comes after the run, while Quarkus stops, only
        // sets the stop flag instead of racing Quarkus's own shutdown through the JVM's hooks
        SigtermHandler.install(stop);
        return processExitCode(run.run().exitCode(), workLeftExitCode);
    }

    /**
     * The code the process exits with: the run's own, except that "work left" becomes
     * {@code ferry.run.work-left-exit-code}, so a Kubernetes Job that ends with work for the next run can
     * succeed. Only the process sees the mapping; the report and the metrics keep the run's code.
     */
    static int processExitCode(int runExitCode, int workLeftExitCode) {
        return runExitCode == ExitCodes.WORK_LEFT ? workLeftExitCode : runExitCode;
    }
}
