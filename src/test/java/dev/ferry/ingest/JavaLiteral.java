package dev.ferry.ingest;

/**
 * Bytes written as a Java string literal ({@code "id,v\r\n\"a\xFF"}), so that a generated file a property test
 * reports can be read, and pasted into a test, as it is: line ends, quotes and invalid bytes stay visible.
 */
final class JavaLiteral {

    private JavaLiteral() {
    }

    static String of(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : bytes) {
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
