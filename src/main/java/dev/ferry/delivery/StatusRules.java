package dev.ferry.delivery;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import dev.ferry.core.ConfigurationError;

/**
 * What an HTTP status means (docs/reference.md, What an answer means): 2xx success; the statuses of
 * {@code ferry.retry.on-status} transient; 401 and 403 refused credentials; the routing-type refusals (any 3xx, 404,
 * 405, 406, 415, 501, 505) a sign that the URL or the API is wrong; everything else a permanent refusal of the record.
 * Immutable.
 */
public final class StatusRules {

    static final String PROPERTY = "ferry.retry.on-status";
    private static final List<Integer> ROUTING = List.of(404, 405, 406, 415, 501, 505);
    private static final List<Integer> AMBIGUOUS = List.of(502, 504, 520, 524);

    private final BitSet transientStatuses;

    private StatusRules(BitSet transientStatuses) {
        this.transientStatuses = transientStatuses;
    }

    /**
     * Reads {@code ferry.retry.on-status}: statuses ({@code 409}), ranges ({@code 520-527}) and classes
     * ({@code 4xx}, {@code 5xx}; {@code 5xx} leaves out 501 and 505, which no retry mends).
     *
     * @throws ConfigurationError naming the property for anything else
     */
    public static StatusRules of(List<String> onStatus) {
        BitSet statuses = new BitSet(600);
        for (String token : onStatus) {
            String item = token.strip().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            if (item.matches("[1-5]xx")) {
                int base = (item.charAt(0) - '0') * 100;
                statuses.set(base, base + 100);
                if (base == 500) {
                    statuses.clear(501);
                    statuses.clear(505);
                }
            } else if (item.matches("\\d{3}-\\d{3}")) {
                int from = status(item.substring(0, 3), token);
                int to = status(item.substring(4), token);
                if (to < from) {
                    throw new ConfigurationError(PROPERTY, "'" + token.strip() + "' is a range that ends before it starts");
                }
                statuses.set(from, to + 1);
            } else if (item.matches("\\d{3}")) {
                statuses.set(status(item, token));
            } else {
                throw new ConfigurationError(PROPERTY, "'" + token.strip()
                        + "' is not a status, a range like 520-527 or a class like 5xx");
            }
        }
        if (statuses.get(200, 300).cardinality() > 0) {
            throw new ConfigurationError(PROPERTY, "a 2xx status is a success, it cannot be retried");
        }
        return new StatusRules(statuses);
    }

    private static int status(String digits, String token) {
        int status = Integer.parseInt(digits);
        if (status < 100 || status > 599) {
            throw new ConfigurationError(PROPERTY, "'" + token.strip() + "' holds a status outside 100-599");
        }
        return status;
    }

    public boolean success(int status) {
        return status >= 200 && status < 300;
    }

    public boolean transientStatus(int status) {
        return status >= 0 && status < 600 && transientStatuses.get(status);
    }

    /**
     * Whether an answer with this status may come after the API applied the request (an ambiguous answer,
     * {@code ferry.verify.ambiguous-after}): a gateway that lost the API's answer or gave up waiting for it (502,
     * 504; a CDN's 520 and 524). Other statuses come from the API itself, or from a gateway that never reached it
     * (503, 429, a CDN's 521–523 and TLS codes), and say it did not apply the request.
     */
    public static boolean mayHaveApplied(int status) {
        return AMBIGUOUS.contains(status);
    }

    /**
     * Whether this refusal says the URL or the API is wrong rather than the record: any 3xx (redirects are never
     * followed), 404, 405, 406, 415, 501, 505, a 4xx whose body is not JSON (an HTML error page of a proxy), or a
     * status of no HTTP class (a 1xx as a final answer, 600 and up, such as a bot blocker's 999): no API refuses a
     * record that way. An unknown status of a class counts as that class's x00 (RFC 9110, 15).
     */
    public boolean routing(int status, boolean jsonBody) {
        return status < 200 || status >= 600 || (status >= 300 && status < 400) || ROUTING.contains(status)
                || (status >= 400 && status < 500 && !jsonBody);
    }
}
