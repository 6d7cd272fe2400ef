package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;

/**
 * The data volume fills up in the middle of a run: the packaged job on a tmpfs of 2 MiB that its own delivered index
 * outgrows. The run stops with exit 1 and its last lines say why, naming the file it could not write; it leaves no
 * half-written file behind. Once the volume has room, the next runs deliver the rest and the API ends up equal to
 * the file. Needs what mounting a tmpfs needs (root, CAP_SYS_ADMIN): skipped, saying so, where that is missing.
 */
class DiskFullIT {

    static final int RECORDS = 12_000;

    @TempDir
    Path mountPoint;

    @RegisterExtension
    final FlakyApis apis = new FlakyApis();

    boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", mountPoint.toString());
        }
    }

    @Test
    void volumeFullInTheMiddleOfARun_stopsSayingWhichFile_andTheRunsAfterLoseNothing() throws Exception {
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)");
        Path data = mountPoint.resolve("data");
        Map<String, ObjectNode> expected = new LinkedHashMap<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= RECORDS; i++) {
            ObjectNode record = Json.MAPPER.createObjectNode().put("id", String.format("k%05d", i))
                    .put("name", "customer " + i).put("note", "a record of the disk-full test");
            expected.put(record.get("id").asText(), record);
            lines.append(record).append('\n');
        }
        TestData.reset(data);
        TestData.drop(data, "customers.ndjson", lines.toString());
        try (FlakyApi api = apis.start(FaultPlan.builder().build())) {
            Map<String, String> env = ChaosFiles.env(data, api, 8);
            env.put("FERRY_VERIFY_AMBIGUOUS_AFTER", "1s");

            PackagedJar full = PackagedJar.start(env, "run");
            int code = full.waitFor(120);
            String output = full.output();
            assertThat(code).as(output).isEqualTo(1);
            assertThat(output).as("the run's own last lines: its summary and the reason, naming the file")
                    .containsPattern("run \\S+: exit 1;")
                    .containsPattern("run \\S+: \\w+: \\S*(state|reports|failed|rejected)/\\S+: "
                            + ".*No space left on device");
            assertThat(output.split("\n")).as("one stack trace, however many records were in flight")
                    .filteredOn(line -> line.startsWith("Caused by: java.io.IOException: No space left on device"))
                    .hasSizeLessThanOrEqualTo(1);
            assertThat(temporaryFiles(data)).as(output).isEmpty();

            assertThat(run("mount", "-o", "remount,size=64m", mountPoint.toString())).isZero();
            List<String> history = new ArrayList<>();
            for (int attempt = 1; attempt <= 5 && code != 0; attempt++) {
                TimeUnit.SECONDS.sleep(1); // the ambiguous deliveries' read-back is due after 1 s
                PackagedJar next = PackagedJar.start(env, "run");
                code = next.waitFor(120);
                history.add("run " + attempt + ": exit " + code + "\n" + next.output());
            }
            String story = output + "\n" + String.join("\n", history);
            assertThat(code).as(story).isZero();
            ChaosFiles.assertApiEqualsFiles(expected, api, story);
            assertThat(TestData.files(data, "processing")).as(story).isEmpty();
            assertThat(TestData.files(data, "failed")).as(story).isEmpty();
        }
    }

    /** Ferry's temporary files ({@code .<name>.tmp}) anywhere on the volume. */
    static List<String> temporaryFiles(Path data) throws IOException {
        try (Stream<Path> all = Files.walk(data)) {
            return all.map(Path::getFileName).map(Path::toString).filter(name -> name.endsWith(".tmp")).toList();
        }
    }

    static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.out);
        return process.waitFor();
    }
}
