package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ContentHashTest {

    @Test
    void contentHash_isTheSha256OfKeyNewlineCanonicalJson_whateverTheFieldOrder() throws Exception {
        ObjectNode record = (ObjectNode) Json.read("{\"b\":{\"y\":1,\"x\":[2,1]},\"a\":\"é\"}");

        byte[] expected = sha256("k1\n{\"a\":\"é\",\"b\":{\"x\":[2,1],\"y\":1}}");

        assertThat(RecordKeys.contentHash("k1", record)).hasSize(32).isEqualTo(expected);
        assertThat(RecordKeys.contentHash("k2", record)).as("the key is part of it").isNotEqualTo(expected);
    }

    @Test
    void loneSurrogate_isHashedEscapedAsTheBodySendsIt_notAsAQuestionMark() throws Exception {
        ObjectNode record = (ObjectNode) Json.read("{\"v\":\"\\ud800\"}");

        assertThat(RecordKeys.contentHash("k1", record)).isEqualTo(sha256("k1\n{\"v\":\"\\uD800\"}"));
        assertThat(RecordKeys.idempotencyKey("k1", record, "c:1"))
                .isEqualTo(RecordKeys.sha256Hex("k1\n{\"v\":\"\\uD800\"}\nc:1"));
    }

    /** Records without a lone surrogate keep the hash and key earlier releases gave them (the delivered index). */
    @Property
    void textWithoutALoneSurrogate_hashesAsItsCanonicalJsonInUtf8(@ForAll("text") String value) throws Exception {
        ObjectNode record = Json.MAPPER.createObjectNode().put("v", value).put("a", 1);
        String canonical = Json.canonical(record);

        assertThat(RecordKeys.contentHash("k", record)).isEqualTo(sha256("k\n" + canonical));
        assertThat(RecordKeys.idempotencyKey("k", record, "c:7")).isEqualTo(RecordKeys.sha256Hex("k\n" + canonical
                + "\nc:7"));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(CodePoints.any(), Arbitraries.strings().ascii()).list().ofMaxSize(12)
                .map(parts -> String.join("", parts));
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
