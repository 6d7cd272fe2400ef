package dev.ferry.ingest;

import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeds for the property tests (plain JUnit parameterized tests over seeded generators). The same seeds on every
 * run by default, so that a build never fails by chance; other seeds on demand, e.g.
 * {@code ./mvnw test -Dtest='*PropertyTest' -Dferry.property.seed=42 -Dferry.property.tries=20000}. A failing try
 * is named by its seed (replay it alone with {@code -Dferry.property.seed=<seed> -Dferry.property.tries=1}) and
 * shows the file it generated.
 */
final class PropertySeeds {

    private PropertySeeds() {
    }

    static Stream<Long> seeds(int defaultTries) {
        long first = Long.getLong("ferry.property.seed", 20_261_124L);
        int tries = Integer.getInteger("ferry.property.tries", defaultTries);
        return LongStream.range(first, first + tries).boxed();
    }

    /** Runs a check on generated input; a failure shows the input as a Java string literal. */
    static void check(byte[] input, Check check) throws Exception {
        try {
            check.run();
        } catch (AssertionError failure) {
            throw new AssertionError("generated input: " + literal(input) + "\n" + failure.getMessage(), failure);
        }
    }

    interface Check {
        void run() throws Exception;
    }

    static String literal(byte[] input) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : input) {
            int c = b & 0xFF;
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
            }
        }
        return out.append('"').toString();
    }
}
