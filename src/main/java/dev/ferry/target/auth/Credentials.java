package dev.ferry.target.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * How a request to the API proves who sends it ({@code ferry.target.auth}): the headers it adds, and what it can do
 * when the API answers 401.
 * <p>
 * A request is made in three steps, which {@link #callWithRenewal} puts together: {@link #prepare()} on the caller's
 * thread (OAuth2 fetches a token there when none is valid, so that an unreachable or refusing token endpoint fails
 * the attempt like any other fault), then the request, whose filter calls {@link #addHeaders} (never blocking: it
 * only reads what {@code prepare} made ready), then, on a 401, {@link #renew(long)} and one repeat.
 * <p>
 * Implementations are thread-safe and never put a secret in a log line or an exception message.
 */
public interface Credentials {

    /**
     * Makes the credentials ready for one request.
     *
     * @return a stamp of the credentials the request will carry, for {@link #renew(long)}
     * @throws TokenEndpointFailure                 the token endpoint gave no token (FaultClassifier says what it means)
     * @throws dev.ferry.core.ConfigurationError     the token endpoint cannot be used as configured (exit 78)
     */
    long prepare();

    /** Adds the authentication headers of the credentials made ready last. */
    void addHeaders(BiConsumer<String, String> header);

    /**
     * Called after a 401 to a request prepared with {@code stamp}: obtains newer credentials if it can. Concurrent
     * callers that saw the same stamp share one renewal.
     *
     * @return true when the request is worth repeating once, with credentials other than those of {@code stamp}
     */
    boolean renew(long stamp);

    /**
     * {@code text} with the secrets these credentials send shown as {@code ***}: an API or a gateway may echo a
     * request's headers in its error answer, whose start ferry keeps in rejected/, failed/ and its logs.
     */
    String conceal(String text);

    /**
     * {@code text} without {@code headerValue}, its credentials after the scheme ({@code Bearer <token>}:
     * the token; {@code Basic <base64>}: the base64), and the {@code others}; null values are skipped.
     */
    static String conceal(String text, String headerValue, String... others) {
        if (text == null || headerValue == null) {
            return text;
        }
        String concealed = concealAllForms(text, headerValue);
        int space = headerValue.indexOf(' ');
        if (space > 0 && space < headerValue.length() - 1) {
            concealed = concealAllForms(concealed, headerValue.substring(space + 1));
        }
        for (String other : others) {
            if (other != null && !other.isEmpty()) {
                concealed = concealAllForms(concealed, other);
            }
        }
        return concealed;
    }

    /**
     * {@code text} without {@code secret} as it is, and as an answer may echo it: JSON-escaped (a {@code /} as
     * {@code \/}, a {@code "} as {@code \"}) or URL-encoded.
     */
    private static String concealAllForms(String text, String secret) {
        String concealed = text.replace(secret, "***");
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        for (String form : new String[] { json, json.replace("/", "\\/"), url }) {
            if (!form.equals(secret)) {
                concealed = concealed.replace(form, "***");
            }
        }
        return concealed;
    }

    /**
     * Makes {@code call} with these credentials; when the API answers 401 and newer credentials are obtained, repeats
     * it once, so that a token that expired mid-run costs one renewal rather than the run. What the second
     * answer says counts, a 401 included.
     */
    default Response callWithRenewal(Supplier<Response> call) {
        long stamp = prepare();
        Response response = call.get();
        if (response.getStatus() != 401) {
            return response;
        }
        boolean renewed;
        try {
            renewed = renew(stamp);
        } catch (RuntimeException tokenEndpointFault) {
            response.close();
            throw tokenEndpointFault;
        }
        if (!renewed) {
            return response;
        }
        response.close();
        prepare();
        return call.get();
    }
}
