package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.delivery.Answers;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import io.vertx.core.Vertx;

/**
 * An error answer of 1 GiB to a ferry whose heap is 256 MiB, as in the chart's pod: only its excerpt is read, the
 * rest discarded, and the run ends as it would with a short answer (answers are read up to an excerpt).
 */
class HugeAnswersIT {

    @TempDir
    java.nio.file.Path data;

    Vertx vertx;
    FlakyApi api;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        api = FlakyApi.start(vertx, FaultPlan.builder().poisonKeys(Set.of("r2")).errorBodyBytes(1 << 30).build());
        TestData.reset(data);
    }

    @AfterEach
    void stop() {
        api.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aGibibyteErrorBody_inA256MiBHeap_isReadUpToItsExcerpt() throws Exception {
        TestData.drop(data, "a.ndjson", TestData.records(3));

        PackagedJar ferry = PackagedJar.start(Map.of("FERRY_DATA_DIR", data.toString(), "FERRY_TARGET_URL",
                api.baseUrl(), "FERRY_INBOX_SETTLE", "0s", "FERRY_RETRY_MAX_RETRIES", "1", "FERRY_RETRY_INITIAL_DELAY",
                "10ms"));

        assertThat(ferry.waitFor(120)).as(ferry.output()).isEqualTo(75);
        assertThat(api.state()).containsOnlyKeys("r1", "r3");
        JsonNode failed = TestData.entries(data, "failed").get(0);
        assertThat(failed.get("key").asText()).isEqualTo("r2");
        assertThat(failed.get("lastError").asText()).hasSizeLessThan(Answers.EXCERPT_BYTES + 100);
    }
}
