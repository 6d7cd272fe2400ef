package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT-cache step of {@code src/main/docker/Dockerfile.jvm}, run here as written (no Docker on this machine) with
 * a JDK 25 like the image's: {@code /deployments} is the packaged app and {@code /tmp} a temporary folder. The cache
 * must be made, be used by a JVM that insists on it ({@code -XX:AOTMode=on}, with the image's own options), and
 * nothing may be left in /tmp, where the image's non-root user would find files owned by root. The JDK 25 is
 * {@code ferry.it.jdk25} (default {@value #JDK25}); without one the test is skipped.
 */
class JvmImageIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    private static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

    @TempDir
    Path tmp;

    @Test
    void aotCacheStep_makesACacheTheImagesJvmUses_andLeavesNothingInTmp() throws Exception {
        Path jdk = Path.of(System.getProperty("ferry.it.jdk25", JDK25));
        assumeThat(jdk.resolve("bin/java")).as("a JDK 25 (-Dferry.it.jdk25=...)").isExecutable();
        Path deployments = PackagedJar.JAR.toAbsolutePath().getParent();
        String step = dockerfileRun("AOTCacheOutput").replace("/tmp/", tmp + "/")
                .replace("/deployments/", deployments + "/");
        Path cache = deployments.resolve("app.aot");
        Files.deleteIfExists(cache);
        try {
            assertThat(run(jdk, List.of("bash", "-euc", step))).as(step).isZero();
            assertThat(cache).exists();
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).as("left in /tmp by the image build").isEmpty();
            }
            String options = dockerfileEnv("GC_CONTAINER_OPTIONS") + " " + dockerfileEnv("JAVA_OPTS_APPEND")
                    .replace("/deployments/", deployments + "/");
            List<String> java = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-XX:AOTMode=on"));
            java.addAll(List.of(options.trim().split("\\s+")));
            java.addAll(List.of("-jar", PackagedJar.JAR.toString(), "--help"));
            assertThat(run(jdk, java)).as("the image's JVM, made to use the cache, starts: %s", java).isZero();
        } finally {
            Files.deleteIfExists(cache);
        }
    }

    /** The shell command of the RUN instruction that contains {@code word}, continuation lines joined. */
    private static String dockerfileRun(String word) throws Exception {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        return dockerfile.lines().filter(line -> line.startsWith("RUN ") && line.contains(word))
                .map(line -> line.substring("RUN ".length())).findFirst().orElseThrow();
    }

    /** The value of {@code ENV name="..."}. */
    private static String dockerfileEnv(String name) throws Exception {
        String prefix = "ENV " + name + "=\"";
        return Files.readAllLines(DOCKERFILE).stream().filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length(), line.length() - 1)).findFirst().orElseThrow();
    }

    private int run(Path jdk, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolveSibling(tmp.getFileName() + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", jdk.resolve("bin") + ":" + env.get("PATH")); // the step's `java` is the image's JDK 25
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp); // the demo's data dir and Vert.x's cache go to /tmp
        Process process = builder.start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
