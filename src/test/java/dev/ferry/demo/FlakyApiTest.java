package dev.ferry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;
import io.vertx.core.Vertx;

/** The store of FlakyApi without faults: routes, idempotency, in-flight tracking, stats. */
class FlakyApiTest {

    private static final Duration OVERLAP = Duration.ofMillis(800);

    private static Vertx vertx;
    private FlakyApi api;
    private FlakyApiClient client;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    private void start(FaultPlan plan) {
        api = FlakyApi.start(vertx, plan);
        client = new FlakyApiClient(api);
    }

    @Test
    void put_storedAndReadBack_createdThenUpdated() throws Exception {
        start(FaultPlan.none());

        assertThat(client.put("a", "k1", "{\"id\":\"a\",\"v\":1}").statusCode()).isEqualTo(201);
        assertThat(client.put("a", "k2", "{\"id\":\"a\",\"v\":2}").statusCode()).isEqualTo(200);
        assertThat(client.put("b", "k3", "{\"id\":\"b\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> a = client.getRecord("a");
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(Json.read(a.body())).isEqualTo(Json.read("{\"id\":\"a\",\"v\":2}"));
        assertThat(client.getRecord("missing").statusCode()).isEqualTo(404);
        assertThat(client.json("/_state")).isEqualTo(Json.read("{\"a\":{\"id\":\"a\",\"v\":2},\"b\":{\"id\":\"b\"}}"));
        assertThat(api.state()).containsOnlyKeys("a", "b");
        assertThat(api.port()).isPositive();
        assertThat(api.baseUrl()).isEqualTo("http://127.0.0.1:" + api.port());
    }

    @Test
    void put_keyPercentDecoded_whenKeyHasReservedCharacters() throws Exception {
        start(FaultPlan.none());

        assertThat(client.put("a/b c+d%é", "k1", "{}").statusCode()).isEqualTo(201);

        assertThat(api.state()).containsOnlyKeys("a/b c+d%é");
        assertThat(client.getRecord("a/b c+d%é").statusCode()).isEqualTo(200);
    }

    @Test
    void put_answered400_whenBodyIsNotJson() throws Exception {
        start(FaultPlan.none());

        assertThat(client.put("a", "k1", "{not json").statusCode()).isEqualTo(400);
        assertThat(client.put("a", "k2", "").statusCode()).isEqualTo(400);

        assertThat(api.state()).isEmpty();
    }

    @Test
    void replay_answeredWithRememberedSuccessWithoutApplying_whenIdempotencyKeyKnown() throws Exception {
        start(FaultPlan.none());

        HttpResponse<String> first = client.put("a", "k1", "{\"v\":1}");
        client.put("a", "k2", "{\"v\":2}");
        HttpResponse<String> replay = client.put("a", "k1", "{\"v\":1}");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(api.state().get("a")).isEqualTo(Json.read("{\"v\":2}"));
        FlakyStats stats = api.stats();
        assertThat(stats.applied()).isEqualTo(2);
        assertThat(stats.idempotencyKeys()).isEqualTo(new FlakyStats.IdempotencyKeys(2, 2, 2));
        assertThat(stats.appliedTwice()).isZero();
        assertThat(stats.concurrentSameKeyViolations()).isZero();
    }

    @Test
    void replay_answered422_whenIdempotencyKeyComesWithAnotherBody() throws Exception {
        start(FaultPlan.none());

        client.put("a", "k1", "{\"v\":1}");

        assertThat(client.put("a", "k1", "{\"v\":9}").statusCode()).isEqualTo(422);
        assertThat(client.put("b", "k1", "{\"v\":1}").statusCode()).isEqualTo(422);
        assertThat(api.state()).containsOnlyKeys("a");
        assertThat(api.stats().applied()).isEqualTo(1);
    }

    @Test
    void sameIdempotencyKey_answered409_whileFirstIsInFlight() throws Exception {
        start(FaultPlan.builder().latency(OVERLAP).build());

        CompletableFuture<HttpResponse<String>> first = client.putAsync("a", "k1", "{\"v\":1}");
        Thread.sleep(100);
        CompletableFuture<HttpResponse<String>> second = client.putAsync("a", "k1", "{\"v\":1}");

        assertThat(first.join().statusCode()).isEqualTo(201);
        assertThat(second.join().statusCode()).isEqualTo(409);
        FlakyStats stats = api.stats();
        assertThat(stats.applied()).isEqualTo(1);
        assertThat(stats.count(409)).isEqualTo(1);
        assertThat(stats.concurrentSameKeyViolations()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void differentIdempotencyKeys_countedAsConcurrentSameKeyViolation_whenSameKeyOverlaps() throws Exception {
        start(FaultPlan.builder().latency(OVERLAP).build());

        CompletableFuture<HttpResponse<String>> first = client.putAsync("a", "k1", "{\"v\":1}");
        Thread.sleep(100);
        CompletableFuture<HttpResponse<String>> second = client.putAsync("a", "k2", "{\"v\":2}");
        CompletableFuture<HttpResponse<String>> otherKey = client.putAsync("b", "k3", "{\"v\":3}");

        assertThat(List.of(first.join().statusCode(), second.join().statusCode(), otherKey.join().statusCode()))
                .containsExactly(201, 200, 201);
        assertThat(api.stats().concurrentSameKeyViolations()).isEqualTo(1);
    }

    @Test
    void sequentialWrites_countNoViolation_whenEachWaitsForItsAnswer() throws Exception {
        start(FaultPlan.builder().latency(Duration.ofMillis(50)).build());

        for (int i = 0; i < 5; i++) {
            assertThat(client.put("a", "k" + i, "{\"v\":" + i + "}").statusCode()).isBetween(200, 201);
        }

        assertThat(api.stats().concurrentSameKeyViolations()).isZero();
        assertThat(api.stats().idempotencyKeys().maxRequests()).isEqualTo(1);
    }

    @Test
    void nonIdempotentApi_countsAppliedTwice_whenIdempotencyKeyIsRepeated() throws Exception {
        start(FaultPlan.builder().idempotent(false).build());

        client.put("a", "k1", "{\"v\":1}");
        client.put("a", "k1", "{\"v\":1}");

        assertThat(api.stats().applied()).isEqualTo(2);
        assertThat(api.stats().appliedTwice()).isEqualTo(1);
    }

    @Test
    void sameVersion_countedUnderTwoKeys_whenSentWithTwoIdempotencyKeys() throws Exception {
        start(FaultPlan.none());

        client.put("a", "k1", "{\"v\":1,\"w\":2}");
        client.put("a", "k2", "{\"w\":2,\"v\":1}");
        client.put("a", "k3", "{\"v\":3}");

        assertThat(api.stats().versionsUnderTwoKeys()).isEqualTo(1);
        assertThat(api.stats().appliedTwice()).isZero();
    }

    @Test
    void statsAndReset_servedOverHttp_asDocumented() throws Exception {
        start(FaultPlan.none());
        client.put("a", "k1", "{}");
        client.put("a", "k1", "{}");
        client.getRecord("nope");

        JsonNode stats = client.json("/_stats");

        assertThat(stats).isEqualTo(Json.read("""
                {"requests":3,"statuses":{"201":2,"404":1},"resets":0,"applied":1,"keys":1,
                 "idempotencyKeys":{"seen":1,"applied":1,"maxRequests":2},"inFlight":0,
                 "concurrentSameKeyViolations":0,"appliedTwice":0,"versionsUnderTwoKeys":0,"lateApplied":0,
                 "lateOverNewer":0,"deleted":0}"""));
        assertThat(client.post("/_reset").statusCode()).isEqualTo(204);
        assertThat(client.json("/_state").size()).isZero();
        assertThat(api.stats().requests()).isZero();
        assertThat(client.put("a", "k1", "{}").statusCode()).isEqualTo(201);
    }

    @Test
    void otherRequests_answered404or405_whenNotARoute() throws Exception {
        start(FaultPlan.none());

        assertThat(client.get("/elsewhere").statusCode()).isEqualTo(404);
        assertThat(client.post("/_state").statusCode()).isEqualTo(404);
        HttpResponse<String> options = client.send("OPTIONS", "/records/a");
        assertThat(options.statusCode()).isEqualTo(405);
        assertThat(options.headers().firstValue("Allow")).hasValue("GET, PUT, POST, PATCH, DELETE");
    }

    @Test
    void delete_removesTheRecord_andAnswers404WhenThereIsNone() throws Exception {
        start(FaultPlan.none());
        client.put("a", "k1", "{\"v\":1}");

        assertThat(client.delete("a", "d1").statusCode()).isEqualTo(204);
        assertThat(client.delete("a", "d2").statusCode()).isEqualTo(404);

        assertThat(api.state()).isEmpty();
        assertThat(client.getRecord("a").statusCode()).isEqualTo(404);
        assertThat(api.stats().deleted()).as("the second found nothing to remove").isEqualTo(1);
        assertThat(api.stats().requests()).as("put, 2 deletes, get").isEqualTo(4);
    }

    @Test
    void deleteReplay_getsTheRememberedAnswer_withoutRemovingARecordPutSince() throws Exception {
        start(FaultPlan.none());
        client.put("a", "k1", "{\"v\":1}");
        assertThat(client.delete("a", "d1").statusCode()).isEqualTo(204);
        client.put("a", "k2", "{\"v\":2}");

        HttpResponse<String> replay = client.delete("a", "d1");

        assertThat(replay.statusCode()).isEqualTo(204);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(api.state().get("a")).isEqualTo(Json.read("{\"v\":2}"));
        assertThat(client.put("a", "d1", "{\"v\":3}").statusCode()).as("a delete's key on a write").isEqualTo(422);
    }
}
