package dev.ferry.cli;

import java.util.concurrent.Callable;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.serve.ServeSchedule;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Stays up and runs `run` on the cron ferry.schedule (and verify on ferry.verify.schedule), "
                + "with /q/health and /q/metrics on HTTP.")
public class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    private final ServeSchedule schedule;
    private final FerryConfig config;

    public ServeCommand(ServeSchedule schedule, FerryConfig config) {
        this.schedule = schedule;
        this.config = config;
    }

    @Override
    public Integer call() {
        schedule.serve();
        LOG.infof("serving: run on '%s'%s; /q/health and /q/metrics over HTTP", config.schedule(),
                config.verify().schedule().map(cron -> ", verify on '" + cron + "'").orElse(""));
        Quarkus.waitForExit();
        return 0;
    }

    /** Before Quarkus starts: serve is the one command that listens on HTTP. */
    public static void prepare(String... args) {
        if (args.length > 0 && "serve".equals(args[0]) && System.getProperty("quarkus.http.host-enabled") == null) {
            System.setProperty("quarkus.http.host-enabled", "true");
        }
    }
}
