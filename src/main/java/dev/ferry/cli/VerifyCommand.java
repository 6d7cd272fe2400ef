package dev.ferry.cli;

import java.util.OptionalLong;
import java.util.concurrent.Callable;

import dev.ferry.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Reads back what ferry delivered, paced by ferry.verify.rate, and reports matched / missing / "
                + "different in reports/verify-<id>.json. Exit 0 all matched, 3 differences found, 75 not finished.")
public class VerifyCommand implements Callable<Integer> {

    @Option(names = "--repair", description = "Queue the missing and different records for the next run.")
    boolean repair;

    @Option(names = "--resume", description = "Go on from where the last verify stopped (budget, breaker).")
    boolean resume;

    @Option(names = "--budget", description = "Most reads in this invocation (default: ferry.verify.budget).")
    Long budget;

    private final Verifier verifier;

    public VerifyCommand(Verifier verifier) {
        this.verifier = verifier;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (budget != null && budget < 1) {
            // no read at all: every verify would stop "not finished" (exit 75) without reading a key
            throw new ParameterException(spec.commandLine(), "--budget " + budget + ": give the most reads, at least 1");
        }
        return verifier.verify(repair, resume, budget == null ? OptionalLong.empty() : OptionalLong.of(budget))
                .exitCode();
    }
}
