package dev.ferry.check;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.ferry.TestData;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code ferry check-config} on the worked example of docs/shaping.md: typed fields, a rename, a drop, a JSLT
 * nesting, a composite key, a static header and the test profile's bearer token. What it prints is what a run would
 * send, secrets masked; what it leaves is the volume as it was and a WireMock that saw nothing.
 */
@QuarkusTest
@ConnectWireMock
@TestProfile(DryRunTest.Profile.class)
class DryRunTest {

    static final Path TRANSFORM = Path.of("target/check-config-test/order.jslt").toAbsolutePath();
    static final String NESTING = "{\"id\": .id, \"price\": {\"amount\": .price, \"currency\": \"EUR\"}, * : .}";
    static final String TOKEN = "test-secret-token-123"; // %test.ferry.target.bearer-token

    /** The shaping of docs/shaping.md's worked example, and one static header. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ferry.record.types.order_no", "integer",
                    "ferry.record.types.qty", "integer",
                    "ferry.record.types.price", "decimal",
                    "ferry.record.types.active", "boolean",
                    "ferry.record.rename.order_no", "id",
                    "ferry.record.drop", "note",
                    "ferry.record.transform", TRANSFORM.toString(),
                    "ferry.record.key", "{country}-{id}",
                    "ferry.target.headers.X-Tenant", "acme");
        }
    }

    WireMock wiremock;

    @Inject
    DryRun dryRun;

    @BeforeEach
    void reset() throws IOException {
        TestData.reset(wiremock);
        Files.createDirectories(TRANSFORM.getParent());
        Files.writeString(TRANSFORM, NESTING);
    }

    @Test
    void inboxFiles_areShownAsTheRequestsARunWouldSend_secretMasked_rejectsNamed_nothingSentOrWritten()
            throws Exception {
        TestData.drop("orders.csv", "order_no,country,qty,price,active,note\n"
                + "1001,DE,3,9.50,yes,first order\n"
                + "1002,FR,,12.00,no,\n"
                + "1003,DE,2,4.5O,yes,\n");
        Files.createSymbolicLink(TestData.ROOT.resolve("inbox/linked.csv"), TestData.ROOT.resolve("inbox/orders.csv")
                .toAbsolutePath());
        Map<String, String> before = TestData.snapshot(TestData.ROOT);

        StringWriter text = new StringWriter();
        DryRun.Summary summary = dryRun.show(3, Optional.empty(), new PrintWriter(text));

        String out = text.toString();
        String body = "{\"id\":1001,\"price\":{\"amount\":9.50,\"currency\":\"EUR\"},\"country\":\"DE\",\"qty\":3,"
                + "\"active\":true}";
        String idempotencyKey = RecordKeys.idempotencyKey("DE-1001", (ObjectNode) Json.read(body),
                RecordKeys.origin("dry-run", 2));
        assertThat(out).contains(String.join("\n",
                "PUT " + targetUrl() + "/records/DE-1001",
                "Content-Type: application/json",
                "Idempotency-Key: " + idempotencyKey,
                "User-Agent: ferry/" + ConfigProvider.getConfig().getValue("quarkus.application.version", String.class),
                "X-Tenant: acme",
                "Authorization: Bearer ***",
                "",
                "{",
                "  \"id\": 1001,",
                "  \"price\": {",
                "    \"amount\": 9.50,",
                "    \"currency\": \"EUR\"",
                "  },",
                "  \"country\": \"DE\",",
                "  \"qty\": 3,",
                "  \"active\": true",
                "}"));
        assertThat(out).contains("PUT " + targetUrl() + "/records/FR-1002").contains("  \"qty\": null,")
                .contains("orders.csv:4: would be rejected: field 'price' is not a decimal number: \"4.5O\"")
                .contains("== inbox/linked.csv: not opened: it is a symbolic link")
                .contains("claim named \"dry-run\"")
                .doesNotContain(TOKEN).doesNotContain("first order");
        assertThat(summary).isEqualTo(new DryRun.Summary(2, 2, 1, 1));
        assertThat(wiremock.find(anyRequestedFor(anyUrl()))).isEmpty();
        assertThat(TestData.snapshot(TestData.ROOT)).isEqualTo(before);
    }

    @Test
    void recordsAndFile_showTheFirstRecordsOfOneFile_andSayItGoesOn() throws Exception {
        TestData.drop("a.csv", "order_no,country\n1,DE\n2,DE\n");
        TestData.drop("b.csv", "order_no,country\n7,FR\n8,FR\n9,FR\n");

        StringWriter text = new StringWriter();
        DryRun.Summary summary = dryRun.show(2, Optional.of("b.csv"), new PrintWriter(text));

        assertThat(text.toString()).contains("/records/FR-7").contains("/records/FR-8").doesNotContain("/records/FR-9")
                .doesNotContain("a.csv").contains("the file goes on");
        assertThat(summary).isEqualTo(new DryRun.Summary(1, 2, 0, 0));
    }

    @Test
    void fileNotInTheInbox_isRefused_namingWhatARunTakes() {
        TestData.drop("a.csv", "order_no,country\n1,DE\n");

        DryRun.NotInInbox refused = catchThrowableOfType(
                () -> dryRun.show(3, Optional.of("../a.csv"), new PrintWriter(new StringWriter())),
                DryRun.NotInInbox.class);

        assertThat(refused).hasMessageContaining("'../a.csv'").hasMessageContaining("*.csv");
    }

    @Test
    void transformThatDoesNotCompile_isAConfigurationError_namingTheFileAndPosition_beforeAnyFileIsRead()
            throws Exception {
        Files.writeString(TRANSFORM, "{\"id\": .id,\n \"price\": ]\n}");
        TestData.drop("orders.csv", "order_no,country\n1,DE\n");
        StringWriter text = new StringWriter();

        ConfigurationError error = catchThrowableOfType(
                () -> dryRun.show(3, Optional.empty(), new PrintWriter(text)), ConfigurationError.class);

        assertThat(error.property()).isEqualTo("ferry.record.transform");
        assertThat(error).hasMessageContaining(TRANSFORM.toString()).hasMessageContaining("line 2, column");
        assertThat(text.toString()).isEmpty();
    }

    private static String targetUrl() {
        return ConfigProvider.getConfig().getValue("ferry.target.url", String.class);
    }
}
