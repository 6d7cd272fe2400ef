package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AppCDS step of {@code src/main/docker/Dockerfile.jvm}, run here as written (no Docker on this
 * machine): {@code /deployments} is the packaged app and {@code /tmp} a temporary folder. The archive must be
 * made, be accepted by a JVM that insists on it ({@code -Xshare:on}), and nothing may be left in /tmp, where
 * the image's non-root user would find files owned by root.
 */
class JvmImageIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    @TempDir
    Path tmp;

    @Test
    void appCdsStep_makesAnArchiveTheJvmAccepts_andLeavesNothingInTmp() throws Exception {
        Path deployments = PackagedJar.JAR.toAbsolutePath().getParent();
        String step = appCdsStep().replace("/tmp/", tmp + "/").replace("/deployments/", deployments + "/");
        Path archive = deployments.resolve("app-cds.jsa");
        Files.deleteIfExists(archive);
        try {
            assertThat(run(List.of("bash", "-euc", step))).as(step).isZero();
            assertThat(archive).exists();
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).as("left in /tmp by the image build").isEmpty();
            }
            assertThat(run(List.of("java", "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar",
                    PackagedJar.JAR.toString(), "--help"))).as("a JVM that must use the archive starts").isZero();
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** The shell command of the RUN instruction that makes the archive, continuation lines joined. */
    private static String appCdsStep() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        return dockerfile.lines().filter(line -> line.startsWith("RUN ") && line.contains("ArchiveClassesAtExit"))
                .map(line -> line.substring("RUN ".length())).findFirst().orElseThrow();
    }

    private int run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolveSibling(tmp.getFileName() + ".log").toFile());
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp); // Vert.x's cache goes to /tmp
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
