package dev.ferry.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import jakarta.ws.rs.core.Response;

/**
 * Reads what ferry needs of an answer's body, and never more: the REST client streams the body of a
 * {@link Response} (nothing is buffered before it is read), so an answer of any size costs at most the bytes read
 * here; closing the response discards the rest.
 */
public final class Answers {

    /** The start of an error answer kept for failed/, rejected/ and the logs. */
    public static final int EXCERPT_BYTES = 4096;

    private Answers() {
    }

    /** At most {@code limit} bytes of the body; the rest is left unread. */
    public static byte[] read(Response response, int limit) {
        if (!response.hasEntity()) {
            return new byte[0];
        }
        try (InputStream body = response.readEntity(InputStream.class)) {
            return body.readNBytes(limit);
        } catch (IOException | RuntimeException unreadable) {
            return new byte[0]; // an answer cut short: what matters is its status
        }
    }

    /** The start of the body as text ({@value #EXCERPT_BYTES} bytes at most, invalid UTF-8 replaced). */
    public static String excerpt(Response response) {
        byte[] bytes = read(response, EXCERPT_BYTES + 1);
        String text = new String(Arrays.copyOf(bytes, Math.min(bytes.length, EXCERPT_BYTES)), StandardCharsets.UTF_8);
        return bytes.length > EXCERPT_BYTES ? text + "…" : text;
    }

    /** Whether the answer says it is HTML ({@code Content-Type: text/html}). */
    public static boolean html(Response response) {
        String type = response.getHeaderString("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html");
    }

    /** Whether the body is JSON, by its Content-Type or, without one, by its first character. */
    public static boolean json(Response response, String excerpt) {
        String type = response.getHeaderString("Content-Type");
        if (type != null && !type.isBlank()) {
            return type.toLowerCase(Locale.ROOT).contains("json");
        }
        String start = excerpt.stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }
}
