package dev.ferry;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Starts the packaged application ({@code target/quarkus-app/quarkus-run.jar}) as a separate process; after a
 * native build ({@code -Dnative}) the native executable instead, as {@code @QuarkusIntegrationTest} would: the
 * last build's {@code target/quarkus-artifact.properties} says which.
 */
public final class PackagedJar {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path ARTIFACT = Path.of("target/quarkus-artifact.properties");

    private final Process process;
    private final Path output;

    private PackagedJar(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code ferry <args>} with these environment variables (FERRY_*); stdout and stderr go to one log. */
    public static PackagedJar start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        Path nativeExecutable = nativeExecutable();
        if (nativeExecutable != null) {
            command.add(nativeExecutable.toAbsolutePath().toString());
            command.add("-Xmx256m");
        } else {
            if (!Files.exists(JAR)) {
                throw new IllegalStateException(JAR + " is missing: run `./mvnw package` (or verify) first");
            }
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-Xmx256m");
            command.add("-jar");
            command.add(JAR.toString());
        }
        command.addAll(List.of(args));
        Path output = Files.createTempFile("ferry-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("FERRY_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        return new PackagedJar(builder.start(), output);
    }

    /** The native executable when the last build made one, else null. */
    static Path nativeExecutable() throws IOException {
        if (!Files.exists(ARTIFACT)) {
            return null;
        }
        Properties artifact = new Properties();
        try (Reader in = Files.newBufferedReader(ARTIFACT)) {
            artifact.load(in);
        }
        if (!"native".equals(artifact.getProperty("type"))) {
            return null;
        }
        Path executable = ARTIFACT.resolveSibling(artifact.getProperty("path"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(ARTIFACT + " names " + executable + ", which is not an executable");
        }
        return executable;
    }

    /** Waits for the exit code. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ferry did not end within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as Kubernetes sends it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process dies at once, mid-write if it is writing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
