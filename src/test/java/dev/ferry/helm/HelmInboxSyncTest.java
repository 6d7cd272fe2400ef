package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.CHART;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.volume;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The documented way to fill inbox/ on Kubernetes (ci/rclone-inbox-values.yaml): an initContainer that moves the
 * source's files with rclone into a hidden staging folder, then renames each complete one into inbox/. The script
 * is run as rendered, against a temporary data dir, with a fake {@code rclone} on the PATH.
 */
class HelmInboxSyncTest {

    static final Path VALUES = CHART.resolve("ci/rclone-inbox-values.yaml");

    /** Moves every file of SRC into DST like `rclone move`, recording its arguments; can leave a *.partial behind. */
    static final String FAKE_RCLONE = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$FAKE_RCLONE_LOG"
            [ "$1" = move ] || exit 9
            src="$2"; dst="$3"
            for f in "$src"/*; do
              [ -f "$f" ] || continue
              name="${f##*/}"
              # as rclone: write under a temporary name, rename when complete, then remove at the source
              cp -p "$f" "$dst/$name.partial" && mv "$dst/$name.partial" "$dst/$name" && rm "$f"
            done
            if [ -n "${FAKE_RCLONE_INTERRUPTED:-}" ]; then echo 'id' > "$dst/$FAKE_RCLONE_INTERRUPTED.partial"; fi
            """;

    @TempDir
    Path tmp;

    Path source;
    Path inbox;
    Path log;

    @BeforeEach
    void dirs() throws IOException {
        source = Files.createDirectories(tmp.resolve("partner-outbox"));
        inbox = Files.createDirectories(tmp.resolve("data/inbox"));
        log = tmp.resolve("rclone.log");
    }

    @Test
    void rendered_initContainer_mountsTheDataVolumeAndTheRcloneSecret() {
        PodSpec pod = cronJobPod(render(VALUES));
        Container sync = initContainer(pod);

        assertThat(sync.getImage()).startsWith("rclone/rclone:");
        assertThat(sync.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .contains(org.assertj.core.groups.Tuple.tuple("data", "/data"),
                        org.assertj.core.groups.Tuple.tuple("rclone-config", "/etc/rclone"));
        assertThat(volume(pod, "rclone-config").getSecret().getSecretName()).isEqualTo("ferry-rclone");
        assertThat(env(sync)).containsEntry("INBOX", "/data/inbox").containsEntry("RCLONE_CONFIG", "/etc/rclone/rclone.conf");
        assertThat(sync.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("ferry");
    }

    @Test
    void sync_movesCompleteFilesIntoInbox_throughAHiddenStagingFolder() throws Exception {
        Files.writeString(source.resolve("2026-11-01-orders.csv"), "id\n1\n");
        Files.writeString(source.resolve("2026-11-01-items.ndjson"), "{\"id\":1}\n");

        int exit = runSync(Map.of());

        assertThat(exit).isZero();
        assertThat(names(inbox)).containsExactlyInAnyOrder(".incoming", "2026-11-01-orders.csv", "2026-11-01-items.ndjson");
        assertThat(Files.readString(inbox.resolve("2026-11-01-orders.csv"))).isEqualTo("id\n1\n");
        assertThat(names(inbox.resolve(".incoming"))).isEmpty();
        assertThat(names(source)).as("taken from the source").isEmpty();
        // rclone wrote into the hidden folder only: ferry ignores hidden names and never sees a partial file
        assertThat(Files.readString(log).strip()).startsWith("move " + source + " " + inbox.resolve(".incoming"));
    }

    @Test
    void sync_leavesAnInterruptedCopyBehind_andNeverRenamesIt() throws Exception {
        Files.writeString(source.resolve("a.csv"), "id\n1\n");

        runSync(Map.of("FAKE_RCLONE_INTERRUPTED", "b.csv"));

        assertThat(names(inbox)).containsExactlyInAnyOrder(".incoming", "a.csv");
        assertThat(names(inbox.resolve(".incoming"))).containsExactly("b.csv.partial");
    }

    @Test
    void sync_keepsAFileWaitingInInbox_andMovesTheNewOneWithTheNextRun() throws Exception {
        Files.writeString(inbox.resolve("daily.csv"), "id\nold\n");
        Files.writeString(source.resolve("daily.csv"), "id\nnew\n");

        runSync(Map.of());

        assertThat(Files.readString(inbox.resolve("daily.csv"))).isEqualTo("id\nold\n");
        assertThat(Files.readString(inbox.resolve(".incoming/daily.csv"))).isEqualTo("id\nnew\n");

        Files.delete(inbox.resolve("daily.csv")); // ferry claimed it
        runSync(Map.of());

        assertThat(Files.readString(inbox.resolve("daily.csv"))).isEqualTo("id\nnew\n");
        assertThat(names(inbox.resolve(".incoming"))).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** Runs the initContainer's script as rendered, with the data dir under tmp and the fake rclone first on PATH. */
    private int runSync(Map<String, String> extraEnv) throws IOException, InterruptedException {
        Container sync = initContainer(cronJobPod(render(VALUES)));
        assertThat(sync.getCommand()).containsExactly("/bin/sh", "-c");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path rclone = Files.writeString(bin.resolve("rclone"), FAKE_RCLONE);
        Files.setPosixFilePermissions(rclone, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", sync.getArgs().get(0)).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(env(sync));
        env.put("SOURCE", source.toString());
        env.put("INBOX", inbox.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("FAKE_RCLONE_LOG", log.toString());
        env.putAll(extraEnv);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return process.exitValue();
    }

    private static Container initContainer(PodSpec pod) {
        assertThat(pod.getInitContainers()).hasSize(1);
        return pod.getInitContainers().get(0);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
