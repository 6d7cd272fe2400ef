package dev.ferry;

import java.util.NoSuchElementException;

import dev.ferry.cli.DemoCommand;
import dev.ferry.cli.ServeCommand;
import dev.ferry.core.ExitCodes;
import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point: Quarkus runs the picocli commands. A configuration value that cannot be used
 * fails before any command runs; that exits 78 with the property named, not with a stack trace.
 */
@QuarkusMain
public class FerryMain {

    public static void main(String... args) {
        DemoCommand.prepare(args);
        ServeCommand.prepare(args);
        Quarkus.run(PicocliRunner.class, FerryMain::exit, args);
    }

    private static void exit(int code, Throwable failure) {
        String problem = failure == null ? null : configurationProblem(failure);
        if (problem != null) {
            System.err.println("ferry: configuration error: " + problem);
            System.exit(ExitCodes.CONFIG);
        }
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, failure);
    }

    /**
     * The message of a configuration failure (it names the property), or null for other failures. SmallRye quotes
     * a value it cannot convert: a URL's {@code user:password@} is shown as {@code ***@}.
     */
    static String configurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            if (type.startsWith("io.smallrye.config.") || type.contains("ConfigValidation")
                    || t instanceof NoSuchElementException || type.endsWith("ConfigurationException")) {
                return t.getMessage() == null ? type : t.getMessage().strip().replaceAll("(?<=://)[^/\"]*@", "***@");
            }
        }
        return null;
    }
}
