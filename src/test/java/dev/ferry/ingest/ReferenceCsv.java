package dev.ferry.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect of {@link CsvRowReader}, written the plain way for the property tests to compare against: split
 * the file into lines first, join lines while a quote is open, then parse each row's decoded text character by
 * character. Slow, allocation-happy and short enough to check by eye; it shares no code with the reader.
 */
final class ReferenceCsv {

    /** A row: its fields (null when it cannot be parsed: too long, unclosed quote, not UTF-8) and its lines. */
    record Row(long line, long lastLine, List<String> fields) {
    }

    record Parsed(List<Row> rows, long blankLines) {
    }

    private record Line(byte[] content, boolean terminated) {
    }

    static Parsed parse(byte[] file, byte delimiter, int maxBytes) {
        List<Line> lines = lines(file);
        List<Row> rows = new ArrayList<>();
        long blank = 0;
        int i = 0;
        while (i < lines.size()) {
            Line first = lines.get(i);
            if (isBlank(first.content(), delimiter) && contentLength(first) <= maxBytes) {
                blank++;
                i++;
                continue;
            }
            QuoteTracker quotes = new QuoteTracker(delimiter);
            long bytes = 0; // bytes of the row before line L, its line breaks included
            int last = i;
            boolean ok;
            while (true) {
                Line line = lines.get(last);
                boolean inQuote = quotes.feed(line.content());
                if (!inQuote) {
                    ok = bytes + contentLength(line) <= maxBytes;
                    break;
                }
                if (!line.terminated() || bytes + line.content().length + 1 > maxBytes || last + 1 == lines.size()) {
                    ok = false; // still open at the end of the file, or open past the limit: cut here
                    break;
                }
                quotes.feed(new byte[] { '\n' });
                bytes += line.content().length + 1;
                last++;
            }
            rows.add(new Row(i + 1, last + 1, ok ? fields(rowBytes(lines, i, last), delimiter) : null));
            i = last + 1;
        }
        return new Parsed(rows, blank);
    }

    private static List<Line> lines(byte[] file) {
        int start = file.length >= 3 && file[0] == (byte) 0xEF && file[1] == (byte) 0xBB && file[2] == (byte) 0xBF ? 3 : 0;
        List<Line> lines = new ArrayList<>();
        for (int i = start; i < file.length; i++) {
            if (file[i] == '\n') {
                lines.add(new Line(java.util.Arrays.copyOfRange(file, start, i), true));
                start = i + 1;
            }
        }
        if (start < file.length) {
            lines.add(new Line(java.util.Arrays.copyOfRange(file, start, file.length), false));
        }
        return lines;
    }

    /** A line's length without its line end: "\r\n" is a line end, so its '\r' does not count. */
    private static int contentLength(Line line) {
        byte[] c = line.content();
        return line.terminated() && c.length > 0 && c[c.length - 1] == '\r' ? c.length - 1 : c.length;
    }

    private static boolean isBlank(byte[] content, byte delimiter) {
        for (byte b : content) {
            if (!(b == ' ' || b == '\r' || (b == '\t' && delimiter != '\t'))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] rowBytes(List<Line> lines, int first, int last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int l = first; l <= last; l++) {
            byte[] c = lines.get(l).content();
            int length = l == last ? contentLength(lines.get(l)) : c.length;
            out.write(c, 0, length);
            if (l < last) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** The row's fields, or null when its bytes are not UTF-8. */
    private static List<String> fields(byte[] row, byte delimiter) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(row)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        char d = (char) delimiter;
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder field = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (true) { // the row is complete, so the quote closes before the end
                    char c = text.charAt(i);
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        field.append(c);
                        i++;
                    }
                }
            }
            while (i < text.length() && text.charAt(i) != d) { // unquoted, or what follows a closing quote
                field.append(text.charAt(i++));
            }
            fields.add(field.toString());
            if (i == text.length()) {
                return fields;
            }
            i++; // the delimiter: another field follows, empty at the end of the row
        }
    }

    /** Whether a quote is open at the end of the bytes fed so far. */
    private static final class QuoteTracker {
        private final byte delimiter;
        private boolean inQuote;
        private boolean quoteInQuote; // a '"' inside a quote: the next byte tells "" from the closing quote
        private boolean fieldStart = true;

        QuoteTracker(byte delimiter) {
            this.delimiter = delimiter;
        }

        boolean feed(byte[] bytes) {
            for (byte b : bytes) {
                if (quoteInQuote) {
                    quoteInQuote = false;
                    if (b == '"') {
                        continue; // "" inside a quote
                    }
                    inQuote = false;
                }
                if (inQuote) {
                    quoteInQuote = b == '"';
                } else if (b == delimiter) {
                    fieldStart = true;
                } else {
                    inQuote = fieldStart && b == '"';
                    fieldStart = false;
                }
            }
            return inQuote && !quoteInQuote; // a '"' last closes the quote: a line end follows it
        }
    }
}
