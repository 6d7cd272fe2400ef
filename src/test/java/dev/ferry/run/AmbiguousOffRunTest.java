package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.state.RunReport;
import dev.ferry.verify.FlakyApiTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/** ferry.verify.ambiguous-after=0 turns the read-backs off: nothing is marked, read or re-sent. */
@QuarkusTest
@TestProfile(LateApplyTarget.Off.class)
class AmbiguousOffRunTest {

    @Inject
    FerryRun run;

    @Inject
    Vertx vertx;

    @Inject
    ShiftedClock clock;

    FlakyApi api;

    @BeforeEach
    void start() {
        TestData.reset();
        api = FlakyApi.start(vertx, FaultPlan.builder().lateApplyKeys(Set.of("k1"))
                .lateApplyDelay(LateApplyRunTest.HELD).build(), FlakyApiTarget.PORT);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void off_anOldVersionLandingLate_staysAtTheApi_unread() throws Exception {
        TestData.drop("a.ndjson", LateApplyRunTest.K1_V1_K2_K1_V2);

        RunReport first = run.run();
        assertThat(api.landLateWrites()).isEqualTo(1);
        long requests = api.stats().requests();
        clock.advance(Duration.ofMinutes(2));
        RunReport later = run.run();

        assertThat(first.ambiguous()).isEqualTo(RunReport.Ambiguous.NONE);
        assertThat(later.ambiguous()).isEqualTo(RunReport.Ambiguous.NONE);
        assertThat(api.stats().requests()).isEqualTo(requests);
        assertThat(api.state().get("k1").get("v").asInt()).as("the price of turning it off").isEqualTo(1);
    }
}
