package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A → B → A against a WireMock stub that honours Idempotency-Key ({@link IdempotentApi}): the API ends as A. */
@QuarkusTest
@QuarkusTestResource(value = IdempotentApiResource.class, restrictToAnnotatedClass = true)
class ReturningValuesWireMockTest {

    IdempotentApi api;

    @Inject
    FerryRun run;

    @BeforeEach
    void reset() {
        TestData.reset();
        api.stored.clear();
        api.answered.clear();
    }

    @Test
    void acrossThreeFiles_endsAsA() throws Exception {
        TestData.drop("1.ndjson", ReturningValuesTest.A);
        TestData.drop("2.ndjson", ReturningValuesTest.B);
        TestData.drop("3.ndjson", ReturningValuesTest.A);

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(api.stored.get("/records/c1")).isEqualTo(ReturningValuesTest.A.strip());
        assertThat(api.answered).as("three keys, one per delivery").hasSize(3);
    }

    @Test
    void withinOneFile_endsAsA() throws Exception {
        TestData.drop("1.ndjson", ReturningValuesTest.A + ReturningValuesTest.B + ReturningValuesTest.A);

        assertThat(run.run().exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(api.stored.get("/records/c1")).isEqualTo(ReturningValuesTest.A.strip());
    }
}
