package dev.ferry.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;


/** The token cache of {@link OAuth2Credentials} on a fake clock, with a scripted token endpoint. */
class OAuth2CredentialsTest {

    final MovableClock clock = new MovableClock();
    final ScriptedEndpoint endpoint = new ScriptedEndpoint();
    final OAuth2Credentials credentials = new OAuth2Credentials(endpoint, clock);

    @Test
    void token_isFetchedOnce_andCachedWhileValid() {
        endpoint.lifetime = Duration.ofHours(1);

        credentials.prepare();
        clock.advance(Duration.ofMinutes(59));
        credentials.prepare();

        assertThat(endpoint.fetches).isEqualTo(1);
        assertThat(header()).isEqualTo("Bearer token-1");
    }

    @Test
    void token_isRenewedBeforeItExpires_30sOrATenthOfItsLifetimeEarly() {
        endpoint.lifetime = Duration.ofHours(1);
        credentials.prepare();
        clock.advance(Duration.ofMinutes(59).plusSeconds(29));
        credentials.prepare();
        assertThat(endpoint.fetches).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1)); // 30 s left
        credentials.prepare();
        assertThat(endpoint.fetches).isEqualTo(2);

        endpoint.lifetime = Duration.ofSeconds(10); // short-lived: renewed with 1 s left, not 30
        clock.advance(Duration.ofHours(2));
        credentials.prepare();
        clock.advance(Duration.ofMillis(8_900));
        credentials.prepare();
        assertThat(endpoint.fetches).isEqualTo(3);
        clock.advance(Duration.ofMillis(100));
        credentials.prepare();
        assertThat(endpoint.fetches).isEqualTo(4);
    }

    @Test
    void tokenWithoutLifetime_isKeptUntilA401() {
        endpoint.lifetime = null;
        long stamp = credentials.prepare();
        clock.advance(Duration.ofDays(30));
        assertThat(credentials.prepare()).isEqualTo(stamp);

        assertThat(credentials.renew(stamp)).isTrue();
        assertThat(endpoint.fetches).isEqualTo(2);
        assertThat(header()).isEqualTo("Bearer token-2");
    }

    @Test
    void renew_byEveryRequestThatMetTheSame401_fetchesOnce() throws Exception {
        long stamp = credentials.prepare();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> renewals = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            renewals.add(pool.submit(() -> {
                start.await();
                return credentials.renew(stamp);
            }));
        }
        start.countDown();
        for (Future<Boolean> renewal : renewals) {
            assertThat(renewal.get()).as("each repeats, with the one new token").isTrue();
        }
        pool.shutdown();

        assertThat(endpoint.fetches).isEqualTo(2);
        assertThat(header()).isEqualTo("Bearer token-2");
    }

    @Test
    void renew_thatGetsTheSameTokenBack_saysSo_soThe401Counts() {
        endpoint.sameTokenEachTime = true;
        long stamp = credentials.prepare();

        assertThat(credentials.renew(stamp)).isFalse();
    }

    @Test
    void tokenEndpointDown_duringRenewal_failsTheAttempt_andTheNextAttemptFetchesAgain() {
        long stamp = credentials.prepare();
        endpoint.failures.add(new TokenEndpointFailure(503, "", null));

        assertThat(catchThrowable(() -> credentials.renew(stamp))).isInstanceOf(TokenEndpointFailure.class);
        credentials.prepare();

        assertThat(endpoint.fetches).isEqualTo(3);
        assertThat(header()).isEqualTo("Bearer token-3");
    }

    @Test
    void callWithRenewal_repeatsOnceAfterA401_withTheNewToken_andReturnsTheSecondAnswer() {
        Map<String, Integer> answers = new HashMap<>(Map.of("Bearer token-1", 401, "Bearer token-2", 200));
        List<String> sent = new ArrayList<>();
        Supplier<Response> call = () -> {
            String authorization = header();
            sent.add(authorization);
            return Response.status(answers.getOrDefault(authorization, 401)).build();
        };

        assertThat(credentials.callWithRenewal(call).getStatus()).isEqualTo(200);
        assertThat(sent).containsExactly("Bearer token-1", "Bearer token-2");

        answers.put("Bearer token-2", 401);
        assertThat(credentials.callWithRenewal(call).getStatus()).as("the repeat's 401 counts").isEqualTo(401);
        assertThat(sent).hasSize(4);
        assertThat(endpoint.fetches).isEqualTo(3);
    }

    @Test
    void token_neverShowsInToString() {
        assertThat(new OAuth2Credentials.Token("s3cret-token", Duration.ofSeconds(5)).toString()).doesNotContain("s3cret");
        credentials.prepare();
        assertThat(credentials.toString()).doesNotContain("token-1");
    }

    private String header() {
        Map<String, String> headers = new HashMap<>();
        credentials.addHeaders(headers::put);
        return headers.get("Authorization");
    }

    /** Tokens token-1, token-2, … each of {@link #lifetime}; a queued failure is thrown instead of the next. */
    static final class ScriptedEndpoint implements OAuth2Credentials.TokenSource {
        volatile Duration lifetime = Duration.ofHours(1);
        volatile boolean sameTokenEachTime;
        final Deque<RuntimeException> failures = new ArrayDeque<>();
        int fetches;

        @Override
        public synchronized OAuth2Credentials.Token fetch() {
            fetches++;
            RuntimeException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            return new OAuth2Credentials.Token(sameTokenEachTime ? "token" : "token-" + fetches, lifetime);
        }
    }
}
