package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import dev.ferry.verify.FlakyApiTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * A CDN or gateway that answers 520 with an HTML page to everything for a minute is an outage (5xx is
 * transient, 520–527 included): retried, the breaker opens, records wait in failed/, and once it is over every
 * record is delivered and none rejected.
 */
@QuarkusTest
@TestProfile(FlakyApiTarget.class)
class GatewayOutageTest {

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
    void gatewayAnswering520ForAMinute_isAnOutage_everyRecordDeliveredAfterIt_noneRejected() throws Exception {
        api.plan(FaultPlan.builder().outage(Duration.ZERO, Duration.ofMinutes(1), 520).build());
        TestData.drop("a.ndjson", TestData.records(40));

        RunReport report;
        int runs = 0;
        do {
            report = run.run();
            runs++;
        } while (report.exitCode() == ExitCodes.WORK_LEFT && runs < 10);

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(api.state()).hasSize(40);
        assertThat(TestData.entries("rejected")).as("an outage is not the records' fault").isEmpty();
        assertThat(api.stats().count(520)).isGreaterThan(0);
    }

}
