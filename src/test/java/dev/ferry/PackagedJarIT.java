package dev.ferry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;


/** The packaged application as an operator starts it: {@code java -jar … run} with FERRY_* variables. */
class PackagedJarIT {

    @TempDir
    Path data;

    WireMockServer api;

    @BeforeEach
    void start() {
        api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        TestData.reset(data);
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("FERRY_DATA_DIR", data.toString(),
                "FERRY_TARGET_URL", api.baseUrl(), "FERRY_INBOX_SETTLE", "0s",
                "FERRY_RETRY_INITIAL_DELAY", "10ms", "FERRY_RETRY_MAX_DELAY", "50ms"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void everyRecordDelivered_exits0_andMovesTheFileToDone() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop(data, "a.csv", "id,v\n1,a\n2,b\n");

        PackagedJar ferry = PackagedJar.start(env());

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).hasSize(2);
        assertThat(TestData.files(data, "done")).containsExactly("a.csv");
        assertThat(TestData.files(data, "reports")).hasSize(1);
    }

    @Test
    void fileNameHoldingANewline_isLoggedOnItsLine_forgingNoLineOfItsOwn() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        String forged = "2026-11-29 10:00:00,000 ERROR [de.fe.ru.FerryRun] run forged: exit 0";
        TestData.drop(data, "a.ndjson\n" + forged + ".ndjson", "{\"id\":\"1\"}\n");

        PackagedJar ferry = PackagedJar.start(env());

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(ferry.output().lines()).as(ferry.output()).noneMatch(line -> line.startsWith(forged))
                .anyMatch(line -> line.contains("delivering a.ndjson\\n" + forged));
    }

    /**
     * A locale whose encoding cannot write a name ({@code LANG} unset or {@code C}: a cron job, a minimal container)
     * makes the JVM's file name encoding ASCII, so a name with any other character, read from the inbox, can no
     * longer be turned back into a path. Such a file is delivered like any other (claimed under a name the locale can
     * write), and does not stop the run, nor every later one, as it stays in the inbox.
     */
    @Test
    void namesTheLocaleCannotEncode_areDeliveredOrQuarantined_andTheRunGoesOn() throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test writes UTF-8 names");
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop(data, "a-données.ndjson", "{\"id\":\"accented\"}\n");
        Files.createSymbolicLink(data.resolve("inbox/b-日本.csv"), Path.of("/proc/self/environ"));
        TestData.drop(data, "c-plain.ndjson", "{\"id\":\"plain\"}\n");

        PackagedJar ferry = PackagedJar.start(env("LANG", "C", "LC_ALL", "C"));

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*"))))
                .extracting(request -> request.getUrl()).containsExactlyInAnyOrder("/records/accented", "/records/plain");
        assertThat(TestData.files(data, "inbox")).isEmpty();
        assertThat(TestData.files(data, "processing")).isEmpty();
        assertThat(TestData.files(data, "done")).hasSize(2).contains("c-plain.ndjson");
        assertThat(TestData.files(data, "quarantine")).hasSize(2);
        try (Stream<Path> quarantined = Files.list(data.resolve("quarantine"))) {
            Path link = quarantined.filter(Files::isSymbolicLink).findFirst().orElseThrow();
            assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/proc/self/environ"));
        }
    }

    /**
     * Files an earlier run under a UTF-8 locale left in processing/, failed/ and quarantine/, with names the C
     * locale cannot turn back into paths: status still reports, each such name with its other bytes escaped
     * (\xHH), the checkpoint and the records found under the name the earlier run knew.
     */
    @Test
    void status_underALocaleThatCannotEncodeNamesLeftByAnEarlierRun_reportsThemEscaped() throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test writes UTF-8 names");
        DataDir dataDir = new DataDir(data);
        dataDir.prepare();
        Files.writeString(dataDir.processing().resolve("a-données.ndjson"), "{\"id\":\"1\"}\n{\"id\":\"2\"}\n");
        new Checkpoints(dataDir).write(new Checkpoint("a-données.ndjson", Checkpoint.Kind.SOURCE, 11, 1, List.of(),
                null, 0, null, 0, false, null, null));
        Files.writeString(dataDir.failed().resolve("g-日本.ndjson"), "{\"key\":\"k1\"}\n{\"key\":\"k2\"}\n");
        Files.writeString(dataDir.quarantine().resolve("q-é.csv"), "x");
        Files.writeString(dataDir.quarantine().resolve("q-é.csv.reason.json"), "{\"reason\":\"not UTF-8\"}");

        PackagedJar ferry = PackagedJar.start(env("LANG", "C", "LC_ALL", "C"), "status");

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(ferry.output()).contains("in progress   a-donn\\xC3\\xA9es.ndjson (source), checkpoint after line 1")
                .contains("failed        2 record(s) in 1 file(s)")
                .contains("quarantined   1 file(s)").contains("q-\\xC3\\xA9.csv: not UTF-8");
    }

    /**
     * A file an earlier run under a UTF-8 locale left in processing/ (killed mid-file), with a name the C locale cannot
     * turn back into a path: a run under it leaves the file as it is and, as the file's records come before anything
     * read after it (per-key order), holds back the replay and the inbox too, with an ERROR line saying what to do;
     * exit 75, not 1. A later run under UTF-8 resumes the file from its checkpoint: nothing lost, nothing sent twice.
     */
    @Test
    void run_underALocaleThatCannotEncodeAFileLeftInProcessing_leavesItAndWhatFollows_exits75_untilAUtf8RunResumesIt()
            throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test writes UTF-8 names");
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        DataDir dataDir = new DataDir(data);
        dataDir.prepare();
        Files.writeString(dataDir.processing().resolve("a-données.ndjson"), "{\"id\":\"1\"}\n{\"id\":\"2\"}\n");
        new Checkpoints(dataDir).write(new Checkpoint("a-données.ndjson", Checkpoint.Kind.SOURCE, 11, 1, List.of(),
                null, 0, null, 0, false, null, null));
        Files.writeString(dataDir.quarantine().resolve("q-é.csv"), "x");
        TestData.drop(data, "c-plain.ndjson", "{\"id\":\"plain\"}\n");

        PackagedJar ferry = PackagedJar.start(env("LANG", "C", "LC_ALL", "C"));

        assertThat(ferry.waitFor(60)).as(ferry.output()).isEqualTo(75);
        assertThat(ferry.output()).doesNotContain("unexpected error").containsPattern(
                "ERROR .*processing/a-donn\\\\xC3\\\\xA9es\\.ndjson.*LANG=C\\.UTF-8");
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).isEmpty();
        assertThat(TestData.files(data, "processing")).containsExactly("a-données.ndjson");
        assertThat(TestData.files(data, "inbox")).containsExactly("c-plain.ndjson");

        PackagedJar utf8 = PackagedJar.start(env());

        assertThat(utf8.waitFor(60)).as(utf8.output()).isZero();
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).extracting(request -> request.getUrl())
                .containsExactly("/records/2", "/records/plain");
        assertThat(TestData.files(data, "done")).containsExactlyInAnyOrder("a-données.ndjson", "c-plain.ndjson");
    }

    /**
     * A failed/ file whose name the C locale cannot turn back into a path (a quarantined file an operator moved back):
     * the replay goes as far as it, leaves it and what follows it in failed/, and the inbox is delivered, its records
     * of the file's keys following them into failed/; exit 75. Later runs under UTF-8 replay the rest in order: the
     * API ends with the newer version.
     */
    @Test
    void run_underALocaleThatCannotEncodeAFailedFile_replaysUpToIt_deliversTheInbox_andKeepsPerKeyOrder()
            throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test writes UTF-8 names");
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        DataDir dataDir = new DataDir(data);
        dataDir.prepare();
        Files.writeString(dataDir.failed().resolve("f-1.ndjson"), failedLine("f1", "old"));
        Files.writeString(dataDir.failed().resolve("g-日本.ndjson"), failedLine("g1", "old") + failedLine("s", "old"));
        Files.writeString(dataDir.failed().resolve("h-2.ndjson"), failedLine("h1", "old"));
        TestData.drop(data, "i.ndjson", "{\"id\":\"s\",\"v\":\"new\"}\n{\"id\":\"new\",\"v\":\"new\"}\n");

        PackagedJar ferry = PackagedJar.start(env("LANG", "C", "LC_ALL", "C"));

        assertThat(ferry.waitFor(60)).as(ferry.output()).isEqualTo(75);
        assertThat(ferry.output()).doesNotContain("unexpected error").containsPattern(
                "ERROR .*failed/g-\\\\xE6\\\\x97\\\\xA5\\\\xE6\\\\x9C\\\\xAC\\.ndjson.*LANG=C\\.UTF-8");
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).extracting(request -> request.getUrl())
                .containsExactlyInAnyOrder("/records/f1", "/records/new");
        assertThat(TestData.files(data, "failed")).contains("g-日本.ndjson", "h-2.ndjson").doesNotContain("f-1.ndjson");

        for (int run = 0; run < 3 && !TestData.files(data, "failed").isEmpty(); run++) {
            assertThat(PackagedJar.start(env()).waitFor(60)).isIn(0, 75);
        }

        assertThat(TestData.files(data, "failed")).isEmpty();
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/s")))).extracting(r -> r.getBodyAsString())
                .containsExactly("{\"id\":\"s\",\"v\":\"old\"}", "{\"id\":\"s\",\"v\":\"new\"}");
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).extracting(request -> request.getUrl())
                .containsOnlyOnce("/records/g1", "/records/h1", "/records/f1");
    }

    /**
     * {@code requeue} under the C locale with a failed/ file whose name it cannot turn back into a path: it reads that
     * file's keys all the same (a requeued version of one would overtake the record waiting there) instead of ending
     * with exit 1 on InvalidPathException.
     */
    @Test
    void requeue_underALocaleThatCannotEncodeAFailedFile_stillSkipsTheKeysWaitingInIt() throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test writes UTF-8 names");
        DataDir dataDir = new DataDir(data);
        dataDir.prepare();
        Files.writeString(dataDir.failed().resolve("g-日本.ndjson"), failedLine("s", "old"));
        Files.writeString(dataDir.rejected().resolve("r-1.ndjson"), rejectedLine("s") + rejectedLine("t"));

        PackagedJar ferry = PackagedJar.start(env("LANG", "C", "LC_ALL", "C"), "requeue", "--all", "--dry-run");

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(ferry.output()).doesNotContain("unexpected error")
                .contains("would move 1 record(s)").contains("a version of the key waits in failed/: s");
    }

    private static String rejectedLine(String key) {
        return "{\"source\":\"x.ndjson:1\",\"reason\":\"the API refused the record (HTTP 422)\",\"status\":422,"
                + "\"body\":\"no\",\"key\":\"" + key + "\",\"idempotencyKey\":\"ik-" + key + "\",\"record\":{\"id\":\""
                + key + "\"},\"rejectedAt\":\"2026-11-29T00:00:00Z\"}\n";
    }

    private static String failedLine(String key, String version) {
        return "{\"key\":\"" + key + "\",\"idempotencyKey\":\"ik-" + key + "-" + version + "\",\"record\":{\"id\":\""
                + key + "\",\"v\":\"" + version + "\"},\"source\":\"x.ndjson:1\",\"attempts\":1,\"lastError\":\"503\","
                + "\"failedAt\":\"2026-11-29T00:00:00Z\",\"runs\":1,\"firstFailedAt\":\"2026-11-29T00:00:00Z\"}\n";
    }

    @Test
    void demo_runsTheJobAgainstItsFlakyApi_untilTheApiEqualsTheFiles() throws Exception {
        PackagedJar ferry = PackagedJar.start(Map.of(), "demo", "--records", "400", "--outage", "3s");

        assertThat(ferry.waitFor(120)).as(ferry.output()).isZero();
        assertThat(ferry.output()).contains("API state equals files: yes").contains("breaker openings")
                .containsPattern("run 1: exit 75").containsPattern("ferry verify .*, 0 missing, 0 different");
    }

    @Test
    void checkConfig_printsTheShapedRequests_sendingNothing_andLeavesTheDataDirAsItWas() throws Exception {
        TestData.drop(data, "orders.csv", "code,qty,price\nA-1,3,9.50\nA-2,three,1.00\n");
        Path transform = Files.writeString(data.getParent().resolve(data.getFileName() + "-order.jslt"),
                "{\"id\": .id, \"price\": {\"amount\": .price, \"currency\": \"EUR\"}, * : .}");
        Map<String, String> before = TestData.snapshot(data);

        PackagedJar ferry = PackagedJar.start(env("FERRY_RECORD_TYPES_QTY", "integer", "FERRY_RECORD_TYPES_PRICE",
                "decimal", "FERRY_RECORD_RENAME_CODE", "id", "FERRY_RECORD_TRANSFORM", transform.toString(),
                "FERRY_TARGET_BEARER_TOKEN", "s3cr3t-token"), "check-config");

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(ferry.output()).contains("PUT " + api.baseUrl() + "/records/A-1\n").contains(String.join("\n",
                "Authorization: Bearer ***", "", "{", "  \"id\": \"A-1\",", "  \"price\": {", "    \"amount\": 9.50,",
                "    \"currency\": \"EUR\"", "  },", "  \"qty\": 3", "}"))
                .contains("orders.csv:3: would be rejected: field 'qty' is not an integer")
                .doesNotContain("s3cr3t-token");
        assertThat(TestData.snapshot(data)).isEqualTo(before);
        assertThat(api.getAllServeEvents()).isEmpty();
    }

    @Test
    void checkConfig_transformThatDoesNotCompile_exits78_namingThePropertyAndPosition() throws Exception {
        TestData.drop(data, "orders.csv", "id\n1\n");
        Path transform = Files.writeString(data.getParent().resolve(data.getFileName() + "-broken.jslt"),
                "{\"id\": .id,\n \"n\": ]\n}");
        Map<String, String> before = TestData.snapshot(data);

        PackagedJar ferry = PackagedJar.start(env("FERRY_RECORD_TRANSFORM", transform.toString()), "check-config");

        assertThat(ferry.waitFor(60)).as(ferry.output()).isEqualTo(78);
        assertThat(ferry.output()).contains("ferry.record.transform: " + transform + ": line 2, column")
                .doesNotContain("\tat ");
        assertThat(TestData.snapshot(data)).isEqualTo(before);
    }

    @Test
    void missingTargetUrl_exits78_namingTheProperty() throws Exception {
        Map<String, String> env = env();
        env.remove("FERRY_TARGET_URL");

        PackagedJar ferry = PackagedJar.start(env, "run");

        assertThat(ferry.waitFor(60)).isEqualTo(78);
        assertThat(ferry.output()).contains("ferry.target.url");
    }

    @Test
    void valueThatIsNotANumber_exits78_namingTheProperty() throws Exception {
        PackagedJar ferry = PackagedJar.start(env("FERRY_RETRY_MAX_RETRIES", "three"), "run");

        assertThat(ferry.waitFor(60)).isEqualTo(78);
        assertThat(ferry.output()).contains("ferry.retry.max-retries").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @CsvSource({ "FERRY_DELIVERY_RATE_LIMIT, 0, ferry.delivery.rate-limit",
            "FERRY_DELIVERY_RATE_LIMIT, -2, ferry.delivery.rate-limit",
            "FERRY_RETRY_ON_STATUS, '408,5x', ferry.retry.on-status",
            "FERRY_FAILED_MAX_RUNS, 0, ferry.failed.max-runs",
            "FERRY_REPLAY_MAX_SHARE, 1.5, ferry.replay.max-share",
            "FERRY_SNAPSHOT_MAX_DELETE_RATIO, 1.5, ferry.snapshot.max-delete-ratio",
            "FERRY_SNAPSHOT_PATTERN, 'customers-[0-9.csv', ferry.snapshot.pattern" })
    void unusableValue_exits78_namingTheProperty_beforeAnythingMoves(String variable, String value, String property)
            throws Exception {
        TestData.drop(data, "a.ndjson", TestData.records(1));

        PackagedJar ferry = PackagedJar.start(env(variable, value), "run");

        assertThat(ferry.waitFor(60)).isEqualTo(78);
        assertThat(ferry.output()).contains(property);
        assertThat(TestData.files(data, "inbox")).containsExactly("a.ndjson");
    }

    @Test
    void valueOutOfRange_exits78_namingTheProperty() throws Exception {
        PackagedJar ferry = PackagedJar.start(env("FERRY_DELIVERY_CONCURRENCY", "0"), "run");

        assertThat(ferry.waitFor(60)).isEqualTo(78);
        assertThat(ferry.output()).contains("ferry.delivery.concurrency");
    }

    @Test
    void workLeft_exitsWithTheConfiguredCode_whileTheReportKeeps75() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(503)));
        TestData.drop(data, "a.csv", "id\n1\n");

        PackagedJar ferry = PackagedJar.start(env("FERRY_RUN_WORK_LEFT_EXIT_CODE", "0", "FERRY_RETRY_MAX_RETRIES", "0"));

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(TestData.files(data, "reports")).singleElement().satisfies(report -> assertThat(
                new ObjectMapper().readTree(data.resolve("reports").resolve(report).toFile()).path("exitCode").asInt())
                .isEqualTo(75));
        assertThat(TestData.files(data, "failed")).hasSize(1);
    }

    @Test
    void workLeftExitCodeOutOfRange_exits78_namingTheProperty() throws Exception {
        PackagedJar ferry = PackagedJar.start(env("FERRY_RUN_WORK_LEFT_EXIT_CODE", "256"), "run");

        assertThat(ferry.waitFor(60)).isEqualTo(78);
        assertThat(ferry.output()).contains("ferry.run.work-left-exit-code");
    }

    @Test
    void propertiesFile_fromQuarkusConfigLocations_isRead_asTheHelmChartMountsIt() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop(data, "a.csv", "id\n1\n");
        Path file = Files.writeString(data.getParent().resolve(data.getFileName() + "-ferry.properties"),
                "ferry.target.url=" + api.baseUrl() + "\n");
        Map<String, String> env = env("QUARKUS_CONFIG_LOCATIONS", file.toString());
        env.remove("FERRY_TARGET_URL");

        PackagedJar ferry = PackagedJar.start(env, "run");

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).hasSize(1);
    }

    @Test
    void version_namesTheVersionAndCommitTheBuildRecorded() throws Exception {
        Properties build = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("target/classes/ferry-version.properties"))) {
            build.load(in);
        }

        PackagedJar ferry = PackagedJar.start(Map.of(), "--version");

        assertThat(ferry.waitFor(60)).as(ferry.output()).isZero();
        assertThat(ferry.output().strip())
                .isEqualTo("ferry " + build.getProperty("version") + " (" + build.getProperty("commit") + ")")
                .doesNotContain("${");
    }

    @Test
    void anotherRunHoldsTheLock_exits0_withoutTouchingAnything() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop(data, "a.csv", "id\n1\n");
        Files.createDirectories(data.resolve("state"));
        try (FileChannel channel = FileChannel.open(data.resolve("state/ferry.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            PackagedJar ferry = PackagedJar.start(env());

            assertThat(ferry.waitFor(60)).isZero();
            assertThat(ferry.output()).contains("another run holds state/ferry.lock");
        }
        assertThat(TestData.files(data, "inbox")).containsExactly("a.csv");
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*")))).isEmpty();
    }

    @Test
    void refusedCredentials_exit77() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(401)));
        TestData.drop(data, "a.csv", "id\n1\n2\n");

        PackagedJar ferry = PackagedJar.start(env("FERRY_TARGET_BEARER_TOKEN", "s3cr3t-token"));

        assertThat(ferry.waitFor(60)).isEqualTo(77);
        assertThat(ferry.output()).doesNotContain("s3cr3t-token");
        assertThat(TestData.files(data, "rejected")).isEmpty();
        assertThat(api.findAll(putRequestedFor(urlPathMatching("/records/.*"))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer s3cr3t-token");
    }

    @Test
    void sigterm_checkpointsAndExits75_andTheNextRunFinishesWithoutLosingARecord() throws Exception {
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(100)));
        TestData.drop(data, "a.ndjson", TestData.records(300));
        PackagedJar ferry = PackagedJar.start(env("FERRY_DELIVERY_CONCURRENCY", "2"));
        long end = System.currentTimeMillis() + 30_000;
        while (api.findAll(putRequestedFor(urlPathMatching("/records/.*"))).size() < 20
                && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }

        ferry.terminate();

        assertThat(ferry.waitFor(30)).as(ferry.output()).isEqualTo(75);
        assertThat(ferry.output()).contains("SIGTERM");
        assertThat(TestData.files(data, "processing")).containsExactly("a.ndjson");
        int sentBefore = api.findAll(putRequestedFor(urlPathMatching("/records/.*"))).size();
        assertThat(sentBefore).isLessThan(300);

        api.resetRequests();
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        PackagedJar again = PackagedJar.start(env());
        assertThat(again.waitFor(60)).as(again.output()).isZero();

        Set<String> resent = api.findAll(putRequestedFor(urlPathMatching("/records/.*"))).stream()
                .map(r -> r.getUrl()).collect(Collectors.toSet());
        assertThat(sentBefore + resent.size()).as("every record sent, at most a few twice")
                .isBetween(300, 300 + 2 + 2);
        assertThat(TestData.files(data, "done")).containsExactly("a.ndjson");
    }
}
