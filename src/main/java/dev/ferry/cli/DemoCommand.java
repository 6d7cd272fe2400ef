package dev.ferry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.ferry.config.FerryConfig;
import dev.ferry.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a flaky API on loopback, writes sample files, runs the real job against it with faults on "
                + "(5xx, 429, resets, slow answers, an outage that opens the breaker) until nothing is left, and "
                + "compares what arrived with what was sent.")
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "1000", description = "Records to write (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample data and the faults.")
    long seed;

    @Option(names = "--outage", defaultValue = "4s", description = "Length of the outage (default ${DEFAULT-VALUE}).")
    String outage;

    @Spec
    CommandSpec spec;

    private final Demo demo;
    private final FerryConfig config;

    public DemoCommand(Demo demo, FerryConfig config) {
        this.demo = demo;
        this.config = config;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        URI target = config.target().url().orElseThrow();
        return demo.play(config.dataDir(), target.getPort(), records, seed,
                io.quarkus.runtime.configuration.DurationConverter.parseDuration(outage), out) ? 0 : 1;
    }

    /**
     * Before Quarkus starts: the demo runs under the {@code demo} profile (short delays, see
     * application.properties), in a fresh temporary data dir, against a free loopback port.
     */
    public static void prepare(String... args) {
        if (args.length == 0 || !"demo".equals(args[0]) || Set.of(args).contains("--help")) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            Path dir = Files.createTempDirectory("ferry-demo-");
            Files.createDirectories(dir.resolve("inbox"));
            System.setProperty("quarkus.profile", System.getProperty("quarkus.profile", "demo"));
            System.setProperty("ferry.data-dir", dir.toString());
            System.setProperty("ferry.target.url", "http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the demo: " + e.getMessage(), e);
        }
    }
}
