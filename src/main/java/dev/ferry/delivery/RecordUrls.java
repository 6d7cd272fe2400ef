package dev.ferry.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code ferry.target.url} + a path template whose {@code {key}} is replaced by the key as exactly one path segment.
 * Every byte of the key's UTF-8 form outside RFC 3986's unreserved set ({@code A-Z a-z 0-9 - . _ ~}) is
 * percent-encoded, so {@code /}, {@code ?}, {@code #}, {@code %}, {@code +} and spaces cannot change the URL's
 * shape. The keys {@code .} and {@code ..} have their dots encoded too ({@code %2E}, {@code %2E%2E}): as plain
 * dot segments, a client, proxy or server normalising the path would send the request to another resource. Dots
 * inside any other key ({@code a.b}, {@code ...}) are no dot segment and stay readable.
 */
public final class RecordUrls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String base;
    private final String template;

    public RecordUrls(URI base, String template) {
        String url = base.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.template = template.startsWith("/") ? template : "/" + template;
    }

    public URI of(String key) {
        return URI.create(base + template.replace("{key}", segment(key)));
    }

    /** The key as one path segment. */
    static String segment(String key) {
        boolean dotSegment = key.equals(".") || key.equals("..");
        if (!dotSegment && allUnreserved(key)) {
            return key; // the common case: nothing to encode, nothing to allocate
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (unreserved(c) && !(dotSegment && c == '.')) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean allUnreserved(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (!unreserved(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
