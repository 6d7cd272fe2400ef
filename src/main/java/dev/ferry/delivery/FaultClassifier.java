package dev.ferry.delivery;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLHandshakeException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.RequestResult;
import dev.ferry.target.auth.Credentials;
import dev.ferry.target.auth.TokenEndpointFailure;
import dev.ferry.target.tls.TlsRefused;

/**
 * The one place that decides what an answer or a failure means (docs/reference.md, What an answer means): 2xx is
 * success; 401/403 stop the run; the statuses of {@code ferry.retry.on-status}, connect failures, resets and timeouts
 * are transient; every other status is permanent. A TLS handshake refused on trust or identity stops the run
 * as a configuration error. A transient fault is also <em>ambiguous</em> when the request may have been applied all
 * the same (a timeout or reset after the connection was made, a gateway's 502/504/520/524): its key is read back
 * later ({@code ferry.verify.ambiguous-after}).
 */
@ApplicationScoped
public class FaultClassifier {

    private final StatusRules statuses;
    private final Clock clock;

    public FaultClassifier(FerryConfig config, Clock clock) {
        this.statuses = StatusRules.of(config.retry().onStatus());
        this.clock = clock;
    }

    /**
     * {@link #check} for the answer to a delivery (PUT, POST, PATCH): a 2xx HTML page (text/html starting with
     * markup) is a {@link RoutingRefusal}, not a success: a proxy's, a login or an SPA's page that took the request
     * in the API's place. Only such a page's start is read of a 2xx answer.
     *
     * @param body reads the start of an error answer's body; empty when it did not arrive in time
     *             ({@link BodyDeadline}): the status that arrived decides all the same
     */
    public void checkDelivery(Response response, Credentials credentials, Function<Response, Optional<String>> body) {
        if (statuses.success(response.getStatus()) && Answers.html(response)) {
            String page = credentials.conceal(Answers.excerpt(response));
            if (page.matches("(?s)[\\s\uFEFF]*<.*")) {
                throw new RoutingRefusal(response.getStatus(), page);
            }
            return;
        }
        check(response, credentials, body);
    }

    /**
     * Returns for a 2xx answer (its body unread); otherwise throws the fault the answer means, with the start of its
     * body (never more: {@link Answers}), the secrets of {@code credentials} concealed in it (an answer may echo the
     * request's headers).
     */
    public void check(Response response, Credentials credentials) {
        check(response, credentials, answer -> Optional.of(Answers.excerpt(answer)));
    }

    private void check(Response response, Credentials credentials, Function<Response, Optional<String>> body) {
        int status = response.getStatus();
        if (statuses.success(status)) {
            return;
        }
        if (status == 401 || status == 403) {
            throw new CredentialsRefused(status);
        }
        Optional<String> read = body.apply(response);
        String excerpt = credentials.conceal(read.orElse(""));
        if (statuses.transientStatus(status)) {
            throw new TransientFault(status, retryAfter(response), excerpt, StatusRules.mayHaveApplied(status));
        }
        if (statuses.routing(status, Answers.json(response, excerpt))) {
            throw new RoutingRefusal(status, excerpt);
        }
        throw new PermanentFault(status, excerpt,
                read.isPresent() ? null : "its body did not arrive within ferry.request.timeout");
    }

    /**
     * {@link #checkDelivery} for the answer to a DELETE: 404 and 410 say the record is not there, which is what the
     * delete wants (deleted before, by ferry whose answer was lost, or by someone else).
     */
    public void checkDelete(Response response, Credentials credentials, Function<Response, Optional<String>> body) {
        int status = response.getStatus();
        if (status != 404 && status != 410) {
            checkDelivery(response, credentials, body);
        }
    }

    /**
     * A request that got no answer: a timeout, or a connection that failed or was reset.
     *
     * @throws TlsRefused the TLS handshake failed on trust or identity: configuration, never retried (exit 78)
     */
    public TransientFault noAnswer(Throwable failure) {
        Optional<TlsRefused> refused = TlsRefused.of(failure);
        if (refused.isPresent()) {
            throw refused.get();
        }
        boolean timeout = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t.getClass().getSimpleName().contains("Timeout")
                    || String.valueOf(t.getMessage()).contains("timeout period")) {
                timeout = true;
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        boolean sent = mayHaveBeenSent(failure);
        return timeout
                ? new TransientFault(RequestResult.TIMEOUT, "timeout: " + what, failure, sent)
                : new TransientFault(RequestResult.CONNECTION, "connection: " + what, failure, sent);
    }

    /**
     * Whether a request that got no answer may have reached the API: conservatively yes, unless the failure shows
     * the connection was never made (refused, timed out connecting, no such host, no route, a TLS handshake that
     * failed): the REST client does not tell a reset before the body was written from one after it.
     */
    private static boolean mayHaveBeenSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException) {
                return false; // Netty's ConnectTimeoutException is a ConnectException
            }
        }
        return true;
    }

    /**
     * Whether a failed attempt may have been applied all the same: an ambiguous {@link TransientFault}, or the
     * attempt's {@code @Timeout} (the request may have gone out).
     */
    public static boolean mayHaveApplied(Throwable fault) {
        return fault instanceof TimeoutException || fault instanceof TransientFault transientFault
                && transientFault.ambiguous();
    }

    /**
     * Makes {@code call} with {@code credentials} ({@link Credentials#callWithRenewal}: a 401 renews an OAuth2 token
     * once and the call is repeated once), turning a failure of the token endpoint into the fault it means.
     *
     * @throws TransientFault     the token endpoint did not answer, or answered a status of {@code ferry.retry.on-status}
     * @throws CredentialsRefused the token endpoint refused the client (400, 401, 403)
     * @throws ConfigurationError the token endpoint answered anything else: its URL is wrong
     */
    public Response send(Credentials credentials, Supplier<Response> call) {
        try {
            return credentials.callWithRenewal(call);
        } catch (TokenEndpointFailure failure) {
            throw tokenEndpoint(failure);
        }
    }

    private RuntimeException tokenEndpoint(TokenEndpointFailure failure) {
        int status = failure.status();
        if (status == 0) {
            TransientFault fault = noAnswer(failure.getCause());
            return new TransientFault(fault.result(), 0, null, "token endpoint " + fault.getMessage(), null);
        }
        if (failure.refusesTheClient()) {
            return new CredentialsRefused(status, "the token endpoint refused the client credentials of "
                    + "ferry.target.oauth2.client-id (HTTP " + status
                    + (failure.errorCode().isEmpty() ? "" : " " + failure.errorCode()) + ")");
        }
        if (statuses.transientStatus(status)) {
            return new TransientFault(RequestResult.ofStatus(status), status, null, "token endpoint: HTTP " + status,
                    null);
        }
        return new ConfigurationError("ferry.target.oauth2.token-url", "the token endpoint answered HTTP " + status);
    }

    /**
     * Retry-After as seconds or an HTTP date, of any size (a number too large for a long is "very long": the backoff
     * caps every wait at {@code ferry.retry.max-delay}); null when absent or unreadable.
     */
    Duration retryAfter(Response response) {
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.trim();
        if (value.matches("\\d+")) {
            return value.length() > 18 ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

}
