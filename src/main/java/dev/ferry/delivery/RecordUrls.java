package dev.ferry.delivery;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code ferry.target.url} + a path template whose {@code {key}} is replaced by the percent-encoded key. */
public final class RecordUrls {

    private final String base;
    private final String template;

    public RecordUrls(URI base, String template) {
        String url = base.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.template = template.startsWith("/") ? template : "/" + template;
    }

    public URI of(String key) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(base + template.replace("{key}", encoded));
    }
}
