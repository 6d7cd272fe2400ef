package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
 * APIs that fail the way real ones do, played by the embedded FlakyApi: a wrong base URL, redirects, a
 * gateway that answers 520 for a minute, a record the API always fails.
 */
@QuarkusTest
@TestProfile(HostileApiTest.Profile.class)
class HostileApiTest {

    public static class Profile extends FlakyApiTarget {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("ferry.delivery.refusal-stop", "5");
            overrides.put("ferry.failed.max-runs", "2");
            overrides.put("ferry.retry.budget", "-1");
            return overrides;
        }
    }

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
    void wrongBaseUrl_stopsTheRunWith76_afterRefusalStopRecords_rejectsNothing_andTheNextRunStopsAgain()
            throws Exception {
        api.plan(FaultPlan.builder().misrouted(true).build());
        TestData.drop("a.ndjson", TestData.records(30));

        RunReport first = run.run();

        assertThat(first.exitCode()).isEqualTo(ExitCodes.MISROUTED);
        assertThat(api.stats().requests()).as("one record at a time (slow start), five in a row").isEqualTo(5);
        assertThat(TestData.entries("failed")).hasSize(5);
        assertThat(TestData.entries("rejected")).isEmpty();
        assertThat(TestData.files("processing")).as("the rest of the input waits").containsExactly("a.ndjson");

        RunReport second = run.run();

        assertThat(second.exitCode()).isEqualTo(ExitCodes.MISROUTED);
        assertThat(api.stats().requests()).as("no drain: five more requests, then a stop").isEqualTo(10);

        api.plan(FaultPlan.none()); // the URL is fixed
        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(api.state()).hasSize(30);
        assertThat(TestData.entries("rejected")).isEmpty();
    }

    @Test
    void redirects_areNeverFollowed_andCountAsMisrouting() throws Exception {
        api.plan(FaultPlan.builder().redirect(true).build());
        TestData.drop("a.ndjson", TestData.records(10));

        RunReport report = run.run();

        assertThat(report.exitCode()).isEqualTo(ExitCodes.MISROUTED);
        assertThat(report.requests()).containsEntry("3xx", 5L);
        assertThat(api.stats().requests()).as("the Location was not followed").isEqualTo(5);
        assertThat(TestData.entries("rejected")).isEmpty();
    }

    @Test
    void recordTheApiAlwaysFails_isGivenUpAfterMaxRuns_andItsLaterVersionGoesThrough() throws Exception {
        api.plan(FaultPlan.builder().poisonKeys(Set.of("r3")).build());
        TestData.drop("a.ndjson", TestData.records(5));

        assertThat(run.run().exitCode()).as("r3 failed").isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(run.run().exitCode()).as("r3 failed again in the replay").isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(TestData.entries("failed")).singleElement()
                .satisfies(entry -> assertThat(entry.get("runs").asInt()).isEqualTo(2));

        RunReport third = run.run();

        assertThat(third.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(third.records().givenUp()).isEqualTo(1);
        assertThat(TestData.entries("rejected")).singleElement().satisfies(entry -> {
            assertThat(entry.get("key").asText()).isEqualTo("r3");
            assertThat(entry.get("reason").asText()).contains("gave up after 2 runs");
        });
        assertThat(TestData.files("failed")).isEmpty();

        api.plan(FaultPlan.none());
        TestData.drop("b.ndjson", "{\"id\":\"r3\",\"n\":33}\n");
        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(api.state().get("r3").get("n").asInt()).isEqualTo(33);
    }
}
