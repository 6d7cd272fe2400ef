package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A key becomes exactly one path segment, whatever it holds: every character outside RFC 3986's unreserved set is
 * percent-encoded, and the dot segments {@code .} and {@code ..} are encoded too, so that no client, proxy or server
 * that normalises paths can turn a record's URL into another resource's.
 */
class RecordUrlsTest {

    private final RecordUrls urls = new RecordUrls(URI.create("https://api.example.com/v1/"), "/records/{key}");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            ".            | %2E",
            "..           | %2E%2E",
            "...          | ...",
            "a.b          | a.b",
            "a/b          | a%2Fb",
            "../admin     | ..%2Fadmin",
            "a?b=1        | a%3Fb%3D1",
            "a#b          | a%23b",
            "100%         | 100%25",
            "%2E%2E       | %252E%252E",
            "'a b'        | a%20b",
            "a+b          | a%2Bb",
            "a*b          | a%2Ab",
            "A-z_0~9      | A-z_0~9",
            "café         | caf%C3%A9",
            "😀           | %F0%9F%98%80",
            "a;b,c        | a%3Bb%2Cc",
    })
    void of_encodesTheKeyAsOneSafePathSegment(String key, String segment) {
        URI url = urls.of(key);
        assertThat(url.toString()).isEqualTo("https://api.example.com/v1/records/" + segment);
        assertThat(url.normalize()).isEqualTo(url);
        assertThat(url.getRawPath()).startsWith("/v1/records/").doesNotEndWith("/records/");
    }
}
