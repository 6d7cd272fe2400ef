package dev.ferry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** A seed reproduces the faults of a run, whatever order the records come in. */
class FlakyApiDeterminismTest {

    private static final int RECORDS = 30;
    private static final int ATTEMPTS = 3;

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static FaultPlan mixed(long seed) {
        return FaultPlan.builder().seed(seed).error5xxRate(0.3).tooManyRequestsRate(0.15).resetRate(0.1)
                .commitThen504Rate(0.15).build();
    }

    /** Each record sent {@link #ATTEMPTS} times with its Idempotency-Key; what each attempt got, by attempt. */
    private static Map<String, String> run(FaultPlan plan, List<Integer> order) throws InterruptedException {
        Map<String, String> outcomes = new LinkedHashMap<>();
        try (FlakyApi api = FlakyApi.start(vertx, plan)) {
            FlakyApiClient client = new FlakyApiClient(api);
            for (int record : order) {
                for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                    String outcome;
                    try {
                        outcome = Integer.toString(client.put("r" + record, "k" + record, "{\"n\":" + record + "}")
                                .statusCode());
                    } catch (IOException e) {
                        outcome = "reset";
                    }
                    outcomes.put("r" + record + "#" + attempt, outcome);
                }
            }
        }
        return outcomes;
    }

    private static List<Integer> ascending() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            order.add(i);
        }
        return order;
    }

    @Test
    void sameSeed_sameStatuses_forSameRequestSequence() throws Exception {
        Map<String, String> first = run(mixed(42), ascending());
        Map<String, String> second = run(mixed(42), ascending());

        assertThat(second).containsExactlyEntriesOf(first);
        assertThat(first.values()).contains("201", "reset", "429", "504").hasSize(RECORDS * ATTEMPTS);
    }

    @Test
    void sameSeed_sameStatusPerAttempt_whenRecordsComeInAnotherOrder() throws Exception {
        List<Integer> descending = new ArrayList<>(ascending());
        Collections.reverse(descending);

        Map<String, String> forward = run(mixed(42), ascending());
        Map<String, String> backward = run(mixed(42), descending);

        assertThat(backward).isEqualTo(forward);
    }

    @Test
    void otherSeed_otherStatuses() throws Exception {
        assertThat(run(mixed(43), ascending())).isNotEqualTo(run(mixed(42), ascending()));
    }
}
