package dev.ferry.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.OptionalLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.core.Json;
import dev.ferry.core.ExitCodes;
import dev.ferry.run.FerryRun;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/** ferry verify against the project's flaky API: read back, drift found, repaired by the next run. */
@QuarkusTest
@TestProfile(FlakyApiTarget.class)
class VerifyTest {

    @Inject
    FerryRun run;

    @Inject
    Verifier verifier;

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
    void afterARun_everyKeyMatches_exit0() throws Exception {
        TestData.drop("a.ndjson", TestData.records(12) + "{\"id\":\"r3\",\"n\":33}\n");
        assertThat(run.run().exitCode()).isZero();

        VerifyReport report = verifier.verify(false, false, OptionalLong.empty());

        assertThat(report.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(report.total()).as("the index keeps one version per key").isEqualTo(12);
        assertThat(report.matched()).isEqualTo(12);
        assertThat(TestData.files("reports")).anyMatch(name -> name.equals("verify-" + report.verifyId() + ".json"));
    }

    @Test
    void driftBehindFerrysBack_isFound_reported_andRepairedByTheNextRun() throws Exception {
        TestData.drop("a.ndjson", TestData.records(10));
        assertThat(run.run().exitCode()).isZero();
        api.drift("r4", Json.read("{\"id\":\"r4\",\"n\":400,\"extra\":true}"));
        api.drift("r7", null);

        VerifyReport found = verifier.verify(true, false, OptionalLong.empty());

        assertThat(found.exitCode()).isEqualTo(ExitCodes.MISMATCH);
        assertThat(found.matched()).isEqualTo(8);
        assertThat(found.missing()).containsExactly("r7");
        assertThat(found.different()).hasSize(1);
        VerifyReport.Difference r4 = found.different().get(0);
        assertThat(r4.key()).isEqualTo("r4");
        assertThat(r4.fields()).containsOnlyKeys("n", "extra");
        assertThat(r4.fields().get("n").sent().asInt()).isEqualTo(4);
        assertThat(r4.fields().get("n").api().asInt()).isEqualTo(400);
        assertThat(found.repairFile()).isNotNull();
        assertThat(TestData.entries("failed")).extracting(e -> e.get("key").asText()).containsExactlyInAnyOrder("r4", "r7");

        assertThat(run.run().exitCode()).isZero();
        assertThat(api.state().get("r4").get("n").asInt()).isEqualTo(4);
        assertThat(api.state()).containsKey("r7");
        assertThat(verifier.verify(false, false, OptionalLong.empty()).exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void budgetSpent_exits75_andResumeGoesOnWhereItStopped() throws Exception {
        TestData.drop("a.ndjson", TestData.records(12));
        assertThat(run.run().exitCode()).isZero();

        VerifyReport slice = verifier.verify(false, false, OptionalLong.of(5));

        assertThat(slice.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(slice.matched()).isEqualTo(5);
        assertThat(slice.notChecked()).isEqualTo(7);
        long readsBefore = api.stats().requests();

        VerifyReport rest = verifier.verify(false, true, OptionalLong.empty());

        assertThat(rest.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rest.startedAtKey()).isEqualTo(5);
        assertThat(rest.matched()).isEqualTo(7);
        assertThat(api.stats().requests() - readsBefore).as("only the rest is read").isEqualTo(7);
    }

    @Test
    void resume_afterARunAddedKeysBeforeAndAfterTheCursor_goesOnAfterTheLastKeyChecked() throws Exception {
        TestData.drop("a.ndjson", TestData.records(12));
        assertThat(run.run().exitCode()).isZero();
        VerifyReport slice = verifier.verify(false, false, OptionalLong.of(5)); // r1 r10 r11 r12 r2, in key order
        assertThat(slice.matched()).isEqualTo(5);
        TestData.drop("b.ndjson", "{\"id\":\"a0\",\"n\":1}\n{\"id\":\"r20\",\"n\":2}\n{\"id\":\"s0\",\"n\":3}\n");
        assertThat(run.run().exitCode()).isZero();
        long readsBefore = api.stats().requests();

        VerifyReport rest = verifier.verify(false, true, OptionalLong.empty());

        assertThat(rest.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rest.total()).isEqualTo(15);
        assertThat(rest.startedAtKey()).as("a0 r1 r10 r11 r12 r2 come before the cursor").isEqualTo(6);
        assertThat(rest.matched()).as("r20, r3 to r9, s0").isEqualTo(9);
        assertThat(api.stats().requests() - readsBefore).isEqualTo(9);
    }

    @Test
    void resume_withACursorOfTheOldNumberedForm_startsOver() throws Exception {
        TestData.drop("a.ndjson", TestData.records(4));
        assertThat(run.run().exitCode()).isZero();
        Files.writeString(TestData.ROOT.resolve("state/verify-cursor.json"), "{\"next\":3}");

        VerifyReport report = verifier.verify(false, true, OptionalLong.empty());

        assertThat(report.startedAtKey()).isZero();
        assertThat(report.matched()).isEqualTo(4);
        assertThat(TestData.ROOT.resolve("state/verify-cursor.json")).as("finished: no cursor left").doesNotExist();
    }
}
