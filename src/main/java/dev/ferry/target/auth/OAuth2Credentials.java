package dev.ferry.target.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

/**
 * {@code ferry.target.auth=oauth2}: an access token from a {@link TokenSource} (the client-credentials grant), sent as
 * {@code Authorization: Bearer}. The token is cached and fetched again shortly before it expires (when less than
 * 30 s, or a tenth of its lifetime for short-lived tokens, is left) and after the API answered 401 to it: a token
 * revoked or expired early costs one renewal, shared by every request that met the 401 with that token, not the run.
 * A token whose lifetime the endpoint did not say is kept until a 401. Thread-safe: one fetch at a time.
 */
public final class OAuth2Credentials implements Credentials {

    private static final Logger LOG = Logger.getLogger(OAuth2Credentials.class);
    static final Duration MAX_MARGIN = Duration.ofSeconds(30);

    /** An access token and how long it lives ({@code null}: not said). Its value is never logged. */
    public record Token(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "Token[lifetime=" + lifetime + "]";
        }
    }

    /** Where tokens come from: the token endpoint. */
    @FunctionalInterface
    public interface TokenSource {
        /**
         * A new token.
         *
         * @throws TokenEndpointFailure no answer, or not a 2xx one
         */
        Token fetch();
    }

    /** The token in use: its header, its stamp, when to fetch the next, and whether a 401 condemned it. */
    private record Current(String header, String token, long stamp, Instant renewAt, boolean refused) {
    }

    private final TokenSource source;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile Current current;
    private long stamps;

    public OAuth2Credentials(TokenSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    @Override
    public long prepare() {
        Current now = current;
        if (usable(now)) {
            return now.stamp();
        }
        synchronized (lock) {
            if (!usable(current)) {
                fetch();
            }
            return current.stamp();
        }
    }

    @Override
    public void addHeaders(BiConsumer<String, String> header) {
        Current now = current;
        if (now != null) {
            header.accept("Authorization", now.header());
        }
    }

    @Override
    public boolean renew(long stamp) {
        synchronized (lock) {
            Current now = current;
            if (now == null || now.stamp() != stamp) {
                return now != null; // another request renewed it since: repeat with that token
            }
            current = new Current(now.header(), now.token(), now.stamp(), now.renewAt(), true);
            fetch();
            return !current.token().equals(now.token());
        }
    }

    @Override
    public String conceal(String text) {
        Current now = current;
        return now == null ? text : Credentials.conceal(text, now.header());
    }

    private boolean usable(Current token) {
        return token != null && !token.refused() && clock.instant().isBefore(token.renewAt());
    }

    /** Fetches a token under the lock; on failure the old token stays condemned or expiring, so the next try fetches. */
    private void fetch() {
        Token token = source.fetch();
        Instant obtained = clock.instant();
        Instant renewAt = Instant.MAX;
        if (token.lifetime() != null) {
            Duration margin = token.lifetime().dividedBy(10);
            renewAt = obtained.plus(token.lifetime()).minus(margin.compareTo(MAX_MARGIN) < 0 ? margin : MAX_MARGIN);
        }
        current = new Current("Bearer " + token.value(), token.value(), ++stamps, renewAt, false);
        LOG.debugf("oauth2: token #%d obtained%s", stamps,
                token.lifetime() == null ? "" : ", valid for " + token.lifetime().toSeconds() + "s");
    }

    @Override
    public String toString() {
        return "OAuth2 client credentials";
    }
}
