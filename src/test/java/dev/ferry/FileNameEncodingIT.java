package dev.ferry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * File names under a locale whose encoding cannot write them: {@code LANG} unset or {@code C} (a cron job, a minimal
 * container) makes the JVM's file name encoding ASCII, so a name with any other character, read from the inbox, can
 * no longer be turned back into a path. Such a file must be delivered like any other, not stop the run (and every
 * later one, since it stays in the inbox).
 */
class FileNameEncodingIT {

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

    @Test
    void namesTheLocaleCannotEncode_areDeliveredOrQuarantined_andTheRunGoesOn() throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test writes UTF-8 names");
        api.stubFor(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        TestData.drop(data, "a-données.ndjson", "{\"id\":\"accented\"}\n");
        Files.createSymbolicLink(data.resolve("inbox/b-日本.csv"), Path.of("/proc/self/environ"));
        TestData.drop(data, "c-plain.ndjson", "{\"id\":\"plain\"}\n");

        PackagedJar ferry = PackagedJar.start(Map.of("FERRY_DATA_DIR", data.toString(), "FERRY_TARGET_URL",
                api.baseUrl(), "FERRY_INBOX_SETTLE", "0s", "LANG", "C", "LC_ALL", "C"));

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
}
