package dev.ferry.cli;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import dev.ferry.core.ConfigurationError;
import dev.ferry.core.ExitCodes;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import picocli.CommandLine;

/** Turns what a command throws into exit codes (docs/reference.md): 78 for configuration errors, 1 for the rest. */
@ApplicationScoped
class CommandLineSetup {

    private static final Logger LOG = Logger.getLogger("dev.ferry");

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create().setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                // also when a bean that reads its configuration in its constructor is created on first use
                if (cause instanceof ConfigurationError error) {
                    commandLine.getErr().println("ferry: configuration error: " + error.getMessage());
                    return ExitCodes.CONFIG;
                }
            }
            LOG.error("unexpected error", failure);
            return ExitCodes.UNEXPECTED;
        });
    }
}
