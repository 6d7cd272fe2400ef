package dev.ferry.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ferry.core.Json;
import io.vertx.core.Vertx;

/** Each fault of a {@link FaultPlan}, at rate 1: what the client sees, and that the store is not corrupted. */
class FlakyApiFaultsTest {

    private static final String BODY = "{\"id\":\"a\",\"v\":1}";

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

    private void start(FaultPlan.Builder plan) {
        api = FlakyApi.start(vertx, plan.build());
        client = new FlakyApiClient(api);
    }

    @Test
    void error5xx_answeredServerErrorWithoutApplying_whenRateIsOne() throws Exception {
        start(FaultPlan.builder().error5xxRate(1));

        for (int i = 0; i < 8; i++) {
            assertThat(client.put("a", "k" + i, BODY).statusCode()).isIn(500, 502, 503, 504);
        }

        assertThat(client.getRecord("a").statusCode()).isEqualTo(404);
        assertThat(api.stats().applied()).isZero();
    }

    @Test
    void tooManyRequests_answered429WithRetryAfter_whenRateIsOne() throws Exception {
        start(FaultPlan.builder().tooManyRequestsRate(1).retryAfter(Duration.ofSeconds(7)));

        HttpResponse<String> response = client.put("a", "k1", BODY);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(api.state()).isEmpty();
    }

    @Test
    void tooManyRequests_answered429WithoutRetryAfter_whenNoneConfigured() throws Exception {
        start(FaultPlan.builder().tooManyRequestsRate(1).retryAfter(null));

        HttpResponse<String> response = client.put("a", "k1", BODY);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void reset_clientGetsIOExceptionAndNothingApplied_whenRateIsOne() {
        start(FaultPlan.builder().resetRate(1));

        assertThatThrownBy(() -> client.put("a", "k1", BODY)).isInstanceOf(IOException.class);

        assertThat(api.state()).isEmpty();
        assertThat(api.stats().resets()).isEqualTo(1);
    }

    @Test
    void slow_clientTimesOutAndNothingApplied_whenDelayExceedsClientTimeout() throws Exception {
        start(FaultPlan.builder().slowRate(1).slowDelay(Duration.ofMillis(700)));

        assertThatThrownBy(() -> client.put("a", "k1", BODY, Duration.ofMillis(200)))
                .isInstanceOf(HttpTimeoutException.class);
        HttpResponse<String> patient = client.put("a", "k1", BODY, Duration.ofSeconds(5));

        assertThat(patient.statusCode()).isEqualTo(504);
        assertThat(api.state()).isEmpty();
        assertThat(api.stats().concurrentSameKeyViolations()).isZero();
    }

    @Test
    void commitThen504_appliedButAnswered504_andRetryAnsweredSuccessWithoutReapplying() throws Exception {
        start(FaultPlan.builder().commitThen504Rate(1));

        HttpResponse<String> first = client.put("a", "k1", BODY);
        HttpResponse<String> read = client.getRecord("a");
        HttpResponse<String> retry = client.put("a", "k1", BODY);

        assertThat(first.statusCode()).isEqualTo(504);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Json.read(read.body())).isEqualTo(Json.read(BODY));
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(api.stats().applied()).isEqualTo(1);
        assertThat(api.stats().appliedTwice()).isZero();
        assertThat(api.stats().idempotencyKeys().maxRequests()).isEqualTo(2);
    }

    @Test
    void lateApply_answers504AtOnce_andLandsLater_overTheNewerVersionThatArrivedMeanwhile() throws Exception {
        start(FaultPlan.builder().lateApplyKeys(Set.of("a")).lateApplyDelay(Duration.ofMillis(400)));
        String v1 = "{\"id\":\"a\",\"v\":1}";
        String v2 = "{\"id\":\"a\",\"v\":2}";

        long started = System.nanoTime();
        HttpResponse<String> first = client.put("a", "k1", v1);
        Duration answeredAfter = Duration.ofNanos(System.nanoTime() - started);
        HttpResponse<String> before = client.getRecord("a");
        HttpResponse<String> retry = client.put("a", "k1", v1);
        HttpResponse<String> newer = client.put("a", "k2", v2);
        HttpResponse<String> other = client.put("b", "kb", BODY);

        assertThat(first.statusCode()).isEqualTo(504);
        assertThat(answeredAfter).as("answered at once, applied later").isLessThan(Duration.ofMillis(400));
        assertThat(before.statusCode()).as("not applied yet").isEqualTo(404);
        assertThat(retry.statusCode()).as("the API's idempotency does not know the write it holds back").isEqualTo(201);
        assertThat(newer.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).as("only the first write of a chosen key lands late").isEqualTo(201);
        assertThat(api.awaitLateApplied(1, Duration.ofSeconds(5))).isTrue();
        assertThat(api.state().get("a")).isEqualTo(Json.read(v1));
        FlakyStats stats = api.stats();
        assertThat(stats.lateApplied()).isEqualTo(1);
        assertThat(stats.lateOverNewer()).isEqualTo(1);
        assertThat(stats.appliedTwice()).as("the API's own double apply is counted apart").isZero();
        assertThat(client.put("a", "k1", v1).statusCode()).as("remembered").isEqualTo(201);
        assertThat(api.stats().applied()).isEqualTo(stats.applied());
    }

    @Test
    void landLateWrites_landsTheWaitingOnesNow_inTheOrderTheyArrived_andTheTimerLaterLandsNothing() throws Exception {
        start(FaultPlan.builder().lateApplyRate(1).lateApplyDelay(Duration.ofMillis(300)));

        assertThat(client.put("a", "k1", "{\"v\":1}").statusCode()).isEqualTo(504);
        assertThat(client.put("a", "k2", "{\"v\":2}").statusCode()).isEqualTo(504);
        assertThat(api.landLateWrites()).isEqualTo(2);

        assertThat(api.state().get("a")).isEqualTo(Json.read("{\"v\":2}"));
        assertThat(api.awaitLateApplied(3, Duration.ofMillis(600))).as("each lands once").isFalse();
        assertThat(api.stats().lateApplied()).isEqualTo(2);
        assertThat(api.stats().lateOverNewer()).isZero();
    }

    @Test
    void lateApplyRate_everyWriteLandsLate_andNoneReplacesANewerOne_whenNoneCame() throws Exception {
        start(FaultPlan.builder().lateApplyRate(1).lateApplyDelay(Duration.ofMillis(100)));

        assertThat(client.put("a", "k1", BODY).statusCode()).isEqualTo(504);
        assertThat(client.put("b", "k2", BODY).statusCode()).isEqualTo(504);

        assertThat(api.awaitLateApplied(2, Duration.ofSeconds(5))).isTrue();
        assertThat(api.state()).containsOnlyKeys("a", "b");
        assertThat(api.stats().lateOverNewer()).isZero();
        assertThat(client.put("a", "k1", BODY).statusCode()).as("known once it landed").isEqualTo(201);
    }

    @Test
    void outage_answers503ThenRecovers_afterItsWindow() throws Exception {
        start(FaultPlan.builder().outage(Duration.ZERO, Duration.ofMillis(600)));

        assertThat(client.put("a", "k1", BODY).statusCode()).isEqualTo(503);
        assertThat(client.getRecord("a").statusCode()).isEqualTo(503);
        assertThat(api.state()).isEmpty();
        Thread.sleep(700);

        assertThat(client.put("a", "k1", BODY).statusCode()).isEqualTo(201);
    }

    @Test
    void outageStartedNow_answers503ThenRecovers_afterItsLength() throws Exception {
        start(FaultPlan.builder());
        assertThat(client.put("a", "k1", BODY).statusCode()).isEqualTo(201);

        api.outage(Duration.ofMillis(500));
        assertThat(client.put("b", "k2", BODY).statusCode()).isEqualTo(503);
        Thread.sleep(600);

        assertThat(client.put("b", "k2", BODY).statusCode()).isEqualTo(201);
        assertThat(api.stats().count(503)).isEqualTo(1);
    }

    @Test
    void rejectKeys_answered422WithJsonError_whenKeyIsListed() throws Exception {
        start(FaultPlan.builder().rejectKeys(Set.of("bad")));

        HttpResponse<String> rejected = client.put("bad", "k1", BODY);

        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(Json.read(rejected.body()).path("error").asText()).contains("bad");
        assertThat(client.put("good", "k2", BODY).statusCode()).isEqualTo(201);
        assertThat(api.state()).containsOnlyKeys("good");
    }

    @Test
    void unauthorized_answered401_forEveryRecordRequest() throws Exception {
        start(FaultPlan.builder().unauthorized(true));

        assertThat(client.put("a", "k1", BODY).statusCode()).isEqualTo(401);
        assertThat(client.getRecord("a").statusCode()).isEqualTo(401);
        assertThat(client.get("/_state").statusCode()).isEqualTo(200);
        assertThat(api.state()).isEmpty();
    }

    @Test
    void latency_delaysEveryAnswer_byTheConfiguredTime() throws Exception {
        start(FaultPlan.builder().latency(Duration.ofMillis(300)));

        long started = System.nanoTime();
        assertThat(client.put("a", "k1", BODY).statusCode()).isEqualTo(201);
        assertThat(client.getRecord("a").statusCode()).isEqualTo(200);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void plan_rejected_whenRatesAreOutOfRange() {
        assertThatThrownBy(() -> FaultPlan.builder().error5xxRate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.builder().error5xxRate(0.6).resetRate(0.6).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
