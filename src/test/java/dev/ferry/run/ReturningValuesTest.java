package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.verify.FlakyApiTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * A value that goes A → B → A ends as A at an API that honours Idempotency-Key as Stripe's does (the embedded
 * FlakyApi answers a known key from its memory without applying the request): the third delivery carries a key of
 * its own, because the key includes the record's origin (the claim of its file and its line).
 */
@QuarkusTest
@TestProfile(FlakyApiTarget.class)
class ReturningValuesTest {

    static final String A = "{\"id\":\"c1\",\"status\":\"active\"}\n";
    static final String B = "{\"id\":\"c1\",\"status\":\"suspended\"}\n";

    @Inject
    FerryRun run;

    @Inject
    Vertx vertx;

    FlakyApi api;

    @BeforeEach
    void start() {
        TestData.reset();
        api = FlakyApi.start(vertx, FaultPlan.none(), FlakyApiTarget.PORT);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void acrossThreeFiles_inOneRun_endsAsA() throws Exception {
        TestData.drop("1.ndjson", A);
        TestData.drop("2.ndjson", B);
        TestData.drop("3.ndjson", A);

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(status()).isEqualTo("active");
        assertThat(api.stats().applied()).as("three deliveries, none answered from memory").isEqualTo(3);
        assertThat(api.stats().idempotencyKeys().seen()).isEqualTo(3);
    }

    @Test
    void withinOneFile_endsAsA() throws Exception {
        TestData.drop("1.ndjson", A + B + A);

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(status()).isEqualTo("active");
    }

    @Test
    void acrossRuns_endsAsA() throws Exception {
        for (String value : List.of(A, B, A)) {
            TestData.drop("x.ndjson", value);
            assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);
        }

        assertThat(status()).isEqualTo("active");
    }

    @Test
    void anOldFileDroppedAgainAfterANewerOne_endsWithTheRedroppedContent() throws Exception {
        TestData.drop("orders.ndjson", A);
        run.run();
        TestData.drop("orders-2.ndjson", B);
        run.run();
        assertThat(status()).isEqualTo("suspended");

        TestData.drop("orders.ndjson", A); // the same file, the same content: a new claim

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(status()).isEqualTo("active");
        assertThat(Files.list(TestData.ROOT.resolve("done")).count()).isEqualTo(3);
    }

    private String status() {
        return api.state().get("c1").get("status").asText();
    }
}
