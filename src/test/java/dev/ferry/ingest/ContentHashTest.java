package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

class ContentHashTest {

    @Test
    void contentHash_isTheSha256OfKeyNewlineCanonicalJson_whateverTheFieldOrder() throws Exception {
        ObjectNode record = (ObjectNode) Json.read("{\"b\":{\"y\":1,\"x\":[2,1]},\"a\":\"é\"}");

        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest("k1\n{\"a\":\"é\",\"b\":{\"x\":[2,1],\"y\":1}}".getBytes(StandardCharsets.UTF_8));

        assertThat(RecordKeys.contentHash("k1", record)).hasSize(32).isEqualTo(expected);
        assertThat(RecordKeys.contentHash("k2", record)).as("the key is part of it").isNotEqualTo(expected);
    }
}
