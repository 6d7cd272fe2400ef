package dev.ferry.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.LogCapture;
import dev.ferry.TestData;
import dev.ferry.cli.StatusCommand;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.Quarantine;
import dev.ferry.state.RunReport;
import dev.ferry.status.Backlog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import picocli.CommandLine;

/**
 * The inbox is untrusted input (docs/reference.md, Folders): whatever a producer (or an attacker with write access to
 * the inbox) leaves there, a run reads only regular files inside the data dir, sets everything else aside in
 * quarantine/ with a reason, and goes on with the rest; nothing it writes holds a secret or is readable by
 * others. The API accepts every record.
 */
@QuarkusTest
@ConnectWireMock
class UntrustedInboxTest {

    private static final String TOKEN = "test-secret-token-123"; // %test.ferry.target.bearer-token
    private static final Path OUTSIDE = Path.of("target/untrusted-outside");

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    Backlog backlog;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void reset() throws IOException {
        TestData.reset(wiremock);
        TestData.reset(OUTSIDE);
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void symlinkToAFileOutsideTheDataDir_isMovedToQuarantineAsALink_andNeverRead() throws Exception {
        Path target = Files.writeString(OUTSIDE.resolve("elsewhere.ndjson"), "{\"id\":\"outside-1\"}\n");
        Files.createSymbolicLink(inbox("link.ndjson"), target.toAbsolutePath());
        TestData.drop("good.ndjson", TestData.records(2));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(2);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/outside-1")))).isEmpty();
        Path quarantined = TestData.ROOT.resolve("quarantine/link.ndjson");
        assertThat(Files.isSymbolicLink(quarantined)).isTrue();
        assertThat(Files.readSymbolicLink(quarantined)).isEqualTo(target.toAbsolutePath());
        assertThat(Files.readString(target)).isEqualTo("{\"id\":\"outside-1\"}\n");
        JsonNode reason = reason("link.ndjson");
        assertThat(reason.get("file").asText()).isEqualTo("inbox/link.ndjson");
        assertThat(reason.get("reason").asText()).contains("symbolic link");
        assertThat(reason.get("runId").asText()).isEqualTo(report.runId());
        assertThat(reason.has("quarantinedAt")).isTrue();
        assertThat(volumeText()).doesNotContain("outside-1");
    }

    @Test
    void symlinkToTheProcessEnvironment_isQuarantined_andNoEnvironmentOrTokenReachesTheVolumeOrTheLogs()
            throws Exception {
        Files.createSymbolicLink(inbox("env.ndjson"), Path.of("/proc/self/environ"));
        TestData.drop("good.ndjson", TestData.records(1));
        String path = "PATH=" + System.getenv("PATH");

        String logs;
        RunReport report;
        try (LogCapture capture = LogCapture.start()) {
            report = run.run();
            logs = ferrysLines(capture);
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(Files.isSymbolicLink(TestData.ROOT.resolve("quarantine/env.ndjson"))).isTrue();
        assertThat(volumeText()).doesNotContain(path).doesNotContain(TOKEN);
        assertThat(logs).doesNotContain(path).doesNotContain(TOKEN);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoNamedLikeData_isQuarantinedWithoutBeingOpened_andTheRunDoesNotHang() throws Exception {
        TestData.mkfifo(inbox("pipe.csv"));
        TestData.drop("good.ndjson", TestData.records(1));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(1);
        Path quarantined = TestData.ROOT.resolve("quarantine/pipe.csv");
        assertThat(Files.readAttributes(quarantined, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode"))
                .as("still a FIFO").matches(mode -> ((Integer) mode & 0170000) == 0010000);
        assertThat(reason("pipe.csv").get("reason").asText()).contains("FIFO");
    }

    @Test
    void directoryNamedLikeData_isQuarantined() throws Exception {
        Files.createDirectories(inbox("folder.csv"));
        Files.writeString(inbox("folder.csv").resolve("inside.txt"), "kept");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(TestData.ROOT.resolve("quarantine/folder.csv/inside.txt")).hasContent("kept");
        assertThat(reason("folder.csv").get("reason").asText()).contains("directory");
        assertThat(TestData.files("inbox")).isEmpty();
    }

    @Test
    void unreadableFiles_inTheInboxAndInFailed_areQuarantined_andTheRestIsDelivered() throws Exception {
        Assumptions.assumeTrue(permissionsBind(), "this process reads files whatever their mode (root)");
        Path locked = TestData.drop("a.ndjson", "{\"id\":\"locked-1\"}\n");
        Files.setPosixFilePermissions(locked, Set.of());
        TestData.drop("b.ndjson", TestData.records(2));
        Files.writeString(folder("processing").resolve("left.ndjson"), "{\"id\":\"left-1\"}\n");
        Path lockedFailed = Files.writeString(folder("failed").resolve("20240101T000000Z-aaaa-00.ndjson"),
                failedLine("old-1"));
        Files.setPosixFilePermissions(lockedFailed, Set.of());

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(3);
        assertThat(TestData.ROOT.resolve("quarantine/a.ndjson")).exists();
        assertThat(reason("a.ndjson").get("reason").asText()).isEqualTo("it cannot be read as data: permission denied");
        assertThat(reason("20240101T000000Z-aaaa-00.ndjson").get("whatNext").asText()).contains("NOT delivered");
        assertThat(TestData.files("processing")).isEmpty();
        assertThat(TestData.files("failed")).isEmpty();
    }

    @Test
    void corruptCheckpoint_sendsItsFileToQuarantine_andTheInboxIsStillDelivered() throws Exception {
        Path processing = folder("processing");
        Files.writeString(processing.resolve("half.ndjson"), "{\"id\":\"half-1\"}\n");
        Path checkpoints = folder("state/checkpoints");
        Files.writeString(checkpoints.resolve(Checkpoints.fileName(Checkpoint.Kind.SOURCE, "half.ndjson")),
                "{\"file\":\"half.nd");
        TestData.drop("good.ndjson", TestData.records(2));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(2);
        assertThat(TestData.ROOT.resolve("quarantine/half.ndjson")).hasContent("{\"id\":\"half-1\"}\n");
        assertThat(reason("half.ndjson").get("reason").asText()).contains("checkpoint");
        assertThat(TestData.files("processing")).isEmpty();
        assertThat(TestData.files("state/checkpoints")).isEmpty();
    }

    @Test
    void corruptReplayState_sendsTheFailedFilesToQuarantine_andTheInboxIsStillDelivered() throws Exception {
        Path failed = folder("failed");
        Files.writeString(failed.resolve("20240101T000000Z-aaaa-00.ndjson"), failedLine("old-1"));
        folder("state");
        Files.writeString(TestData.ROOT.resolve("state/replay.json"), "{\"files\":[\"2024");
        TestData.drop("good.ndjson", TestData.records(2));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(2);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/old-1")))).isEmpty();
        assertThat(TestData.files("failed")).isEmpty();
        assertThat(TestData.ROOT.resolve("quarantine/20240101T000000Z-aaaa-00.ndjson")).hasContent(failedLine("old-1"));
        assertThat(reason("20240101T000000Z-aaaa-00.ndjson").get("file").asText())
                .isEqualTo("failed/20240101T000000Z-aaaa-00.ndjson");
        assertThat(reason("replay.json").get("reason").asText()).contains("corrupt");
        assertThat(TestData.ROOT.resolve("state/replay.json")).doesNotExist();
    }

    @Test
    void checkpointUnderItsPreHashName_isResumedFrom_andReplacedByTheHashedOne() throws Exception {
        Path processing = folder("processing");
        Files.writeString(processing.resolve("a.ndjson"), TestData.records(3));
        long afterFirst = "{\"id\":\"r1\",\"n\":1}\n".length();
        Path legacy = folder("state/checkpoints").resolve("source-a.ndjson.json");
        Files.writeString(legacy, Json.MAPPER.writeValueAsString(new Checkpoint("a.ndjson", Checkpoint.Kind.SOURCE,
                afterFirst, 1, List.of(), null, 0, null, 0, false, null, null)));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/r1")))).as("settled before the upgrade").isEmpty();
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/r2")))).hasSize(1);
        assertThat(wiremock.find(putRequestedFor(urlEqualTo("/records/r3")))).hasSize(1);
        assertThat(legacy).doesNotExist();
        assertThat(TestData.files("done")).containsExactly("a.ndjson");
    }

    @Test
    void status_listsTheQuarantinedFilesWithTheirReasons() throws Exception {
        Files.createDirectories(inbox("folder.csv"));
        Files.createSymbolicLink(inbox("link.ndjson"), Path.of("/proc/self/environ"));
        RunReport report = run.run();

        Backlog.View view = backlog.view();
        StringWriter text = new StringWriter();
        CommandLine status = new CommandLine(new StatusCommand(backlog));
        status.setOut(new PrintWriter(text));
        int exit = status.execute();

        assertThat(view.quarantined()).extracting(Quarantine.Entry::name).containsExactly("folder.csv", "link.ndjson");
        assertThat(view.quarantined().get(1).note().runId()).isEqualTo(report.runId());
        assertThat(exit).isZero();
        assertThat(text.toString()).contains("quarantined   2 file(s)")
                .contains("folder.csv: it is not a regular file but a directory")
                .contains("link.ndjson: it is not a regular file but a symbolic link");
    }

    @Test
    void namesOfAnyLengthAndCharacterSet_areDelivered() throws Exception {
        List<String> names = oddNames();
        for (int i = 0; i < names.size(); i++) {
            TestData.drop(names.get(i), "{\"id\":\"odd-" + i + "\"}\n");
        }

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.records().delivered()).isEqualTo(names.size());
        assertThat(TestData.files("done")).containsExactlyInAnyOrderElementsOf(names);
        assertThat(TestData.files("state/checkpoints")).isEmpty();
    }

    @Test
    void laterFile_waitsBehindAnEarlierOneThatIsStillBeingWritten() throws Exception {
        Path writing = TestData.drop("a.ndjson", "{\"id\":\"a-1\"}\n");
        Files.setLastModifiedTime(writing, FileTime.from(Instant.now().plusSeconds(3600))); // not settled
        TestData.drop("b.ndjson", "{\"id\":\"b-1\"}\n");

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).isEmpty();
        assertThat(TestData.files("inbox")).containsExactly("a.ndjson", "b.ndjson");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyKindOfBadInputAtOnce_exitsNormally_deliversEveryGoodRecord_quarantinesTheRest_andLeaksNothing()
            throws Exception {
        List<String> expectedQuarantine = new ArrayList<>();
        TestData.drop("a.csv", "id,v\ncsv-1,x\ncsv-2,y\n");
        List<String> names = oddNames();
        for (int i = 0; i < names.size(); i++) {
            TestData.drop(names.get(i), "{\"id\":\"odd-" + i + "\"}\n");
        }
        Path target = Files.writeString(OUTSIDE.resolve("elsewhere.ndjson"), "{\"id\":\"outside-1\"}\n");
        Files.createSymbolicLink(inbox("link.ndjson"), target.toAbsolutePath());
        Files.createSymbolicLink(inbox("env.ndjson"), Path.of("/proc/self/environ"));
        TestData.mkfifo(inbox("pipe.csv"));
        Files.createDirectories(inbox("folder.csv"));
        expectedQuarantine.addAll(List.of("link.ndjson", "env.ndjson", "pipe.csv", "folder.csv"));
        if (permissionsBind()) {
            Files.setPosixFilePermissions(TestData.drop("locked.ndjson", "{\"id\":\"locked-1\"}\n"), Set.of());
            expectedQuarantine.add("locked.ndjson");
        }
        Path processing = folder("processing");
        Files.writeString(processing.resolve("half.ndjson"), "{\"id\":\"half-1\"}\n");
        Path checkpoints = folder("state/checkpoints");
        Files.writeString(checkpoints.resolve(Checkpoints.fileName(Checkpoint.Kind.SOURCE, "half.ndjson")), "not json");
        Path failed = folder("failed");
        Files.writeString(failed.resolve("20240101T000000Z-aaaa-00.ndjson"), failedLine("old-1"));
        Files.writeString(TestData.ROOT.resolve("state/replay.json"), "[");
        expectedQuarantine.addAll(List.of("half.ndjson", "20240101T000000Z-aaaa-00.ndjson", "replay.json"));
        String path = "PATH=" + System.getenv("PATH");
        double quarantinedBefore = registry.get("ferry.files.quarantined").counter().count();

        String logs;
        RunReport report;
        try (LogCapture capture = LogCapture.start()) {
            report = run.run();
            logs = ferrysLines(capture);
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(registry.get("ferry.files.quarantined").counter().count() - quarantinedBefore)
                .isEqualTo(expectedQuarantine.size());
        assertThat(report.records().delivered()).isEqualTo(2 + names.size());
        assertThat(report.records().rejected()).isZero();
        List<String> sent = wiremock.find(putRequestedFor(urlPathMatching("/records/.*"))).stream()
                .map(r -> r.getUrl().substring("/records/".length())).toList();
        assertThat(sent).hasSize(2 + names.size()).contains("csv-1", "csv-2", "odd-0")
                .doesNotContain("outside-1", "locked-1", "half-1", "old-1");
        assertThat(TestData.files("quarantine")).filteredOn(n -> !n.endsWith(".reason.json"))
                .containsExactlyInAnyOrderElementsOf(expectedQuarantine);
        assertThat(TestData.files("inbox")).isEmpty();
        assertThat(TestData.files("processing")).isEmpty();
        assertThat(TestData.files("failed")).isEmpty();
        assertThat(volumeText()).doesNotContain(TOKEN).doesNotContain(path).doesNotContain("outside-1");
        assertThat(logs).doesNotContain(TOKEN).doesNotContain(path);
        assertThat(readableByOthers()).as("files and folders ferry created that others may read").isEmpty();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fileAppendedToAfterItWasRead_hasTheAppendedRecordsDeliveredToo_beforeItMovesToDone() throws Exception {
        wiremock.register(put(urlEqualTo("/records/g1")).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        TestData.drop("grow.ndjson", "{\"id\":\"g1\"}\n"); // its producer pauses longer than the settle time
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the reader is at the end of the file once g1 is on its way: the producer writes on
        while (wiremock.find(putRequestedFor(urlEqualTo("/records/g1"))).isEmpty()) {
            Thread.onSpinWait();
        }
        Files.writeString(TestData.ROOT.resolve("processing/grow.ndjson"), "{\"id\":\"g2\"}\n{\"id\":\"g3\"}\n",
                StandardOpenOption.APPEND);

        RunReport report = running.get();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).extracting(r -> r.getUrl())
                .containsExactlyInAnyOrder("/records/g1", "/records/g2", "/records/g3");
        assertThat(report.records().read()).isEqualTo(3);
        assertThat(report.records().delivered()).isEqualTo(3);
        assertThat(TestData.files("done")).containsExactly("grow.ndjson");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fileDeletedFromProcessingDuringItsDelivery_endsWithAnErrorNamingIt_theNextFileGoesOn_andExit75()
            throws Exception {
        wiremock.register(put(urlEqualTo("/records/v1")).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        TestData.drop("a-vanishing.ndjson", "{\"id\":\"v1\"}\n{\"id\":\"v2\"}\n");
        TestData.drop("b-next.ndjson", "{\"id\":\"n1\"}\n");
        RunReport report;
        String logs;
        try (LogCapture capture = LogCapture.start()) {
            CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return run.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // while v1 is on its way, someone deletes the file by hand
            while (wiremock.find(putRequestedFor(urlEqualTo("/records/v1"))).isEmpty()) {
                Thread.onSpinWait();
            }
            Files.delete(TestData.ROOT.resolve("processing/a-vanishing.ndjson"));
            report = running.get();
            logs = ferrysLines(capture);
        }

        assertThat(report.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(report.error()).isNull();
        assertThat(logs).contains("ERROR [dev.ferry.run.Sources] processing/a-vanishing.ndjson vanished during its "
                + "delivery").doesNotContain("NoSuchFileException");
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).extracting(r -> r.getUrl())
                .containsExactlyInAnyOrder("/records/v1", "/records/v2", "/records/n1");
        assertThat(TestData.files("done")).containsExactly("b-next.ndjson");
        assertThat(TestData.files("processing")).isEmpty();
        assertThat(TestData.files("state/checkpoints")).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** What ferry logged: every captured line but those of the test's WireMock API (which logs the requests it gets). */
    private static String ferrysLines(LogCapture capture) {
        StringBuilder lines = new StringBuilder();
        capture.lines().stream().filter(line -> !line.logger().toLowerCase().contains("wiremock"))
                .forEach(line -> lines.append(line).append('\n'));
        return lines.toString();
    }

    /** A 250-byte name (UTF-8), unicode, a space, %, a newline, a leading dash. */
    private static List<String> oddNames() {
        String ext = ".ndjson";
        String unicode = "é".repeat(100); // 200 bytes
        String longName = unicode + "x".repeat(250 - 200 - ext.length()) + ext;
        assertThat(longName.getBytes(StandardCharsets.UTF_8)).hasSize(250);
        return List.of(longName, "with space.ndjson", "100%.ndjson", "two\nlines.ndjson", "-dash.ndjson",
                "日本語.ndjson");
    }

    /** A folder the test plants state in, with the mode ferry gives its own (0750). */
    private static Path folder(String relative) throws IOException {
        return Files.createDirectories(TestData.ROOT.resolve(relative),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    }

    private static Path inbox(String name) {
        return TestData.ROOT.resolve("inbox").resolve(name);
    }

    private static JsonNode reason(String name) throws IOException {
        return Json.read(Files.readString(TestData.ROOT.resolve("quarantine").resolve(name + ".reason.json")));
    }

    private static String failedLine(String key) {
        return "{\"key\":\"" + key + "\",\"idempotencyKey\":\"ik-" + key + "\",\"record\":{\"id\":\"" + key
                + "\"},\"source\":\"x.ndjson:1\",\"attempts\":4,\"lastError\":\"503\",\"failedAt\":\"2024-01-01T00:00:00Z\"}\n";
    }

    /** Whether file modes stop this process (not so for root with CAP_DAC_OVERRIDE). */
    private static boolean permissionsBind() throws IOException {
        Path probe = Files.createTempFile("ferry-probe", ".txt");
        try {
            Files.setPosixFilePermissions(probe, Set.of());
            try (FileChannel open = FileChannel.open(probe, StandardOpenOption.READ)) {
                return false;
            } catch (AccessDeniedException denied) {
                return true;
            }
        } finally {
            Files.delete(probe);
        }
    }

    /** The text of every regular file under the data dir (never following a link, never opening a FIFO). */
    private static String volumeText() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> paths = Files.walk(TestData.ROOT)) {
            for (Path path : paths.toList()) {
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(path)) {
                    try {
                        all.append(new String(Files.readAllBytes(path), StandardCharsets.UTF_8)).append('\n');
                    } catch (AccessDeniedException locked) {
                        // the test's own chmod-000 file
                    }
                }
            }
        }
        return all.toString();
    }

    /**
     * What ferry created under the data dir with a permission for others: its folders and the files in
     * failed/, rejected/, state/, reports/ and the reasons in quarantine/ (the inbox, and producers' files
     * moved to done/, processing/ or quarantine/, keep their mode).
     */
    private static List<String> readableByOthers() throws IOException {
        Set<PosixFilePermission> others = Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        List<String> open = new ArrayList<>();
        for (String folder : List.of("processing", "done", "failed", "rejected", "state", "reports", "quarantine")) {
            Path root = TestData.ROOT.resolve(folder);
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.toList()) {
                    String relative = TestData.ROOT.relativize(path).toString();
                    boolean created = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && path.equals(root)
                            || Set.of("failed", "rejected", "state", "reports").contains(folder)
                            || relative.endsWith(".reason.json");
                    if (created && !Files.isSymbolicLink(path) && Files.getPosixFilePermissions(path,
                            LinkOption.NOFOLLOW_LINKS).stream().anyMatch(others::contains)) {
                        open.add(relative);
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return open;
    }
}
