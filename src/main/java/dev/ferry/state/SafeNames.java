package dev.ferry.state;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import dev.ferry.ingest.RecordKeys;

/**
 * Names of files ferry makes from names it was given (an inbox file's, which may be up to 255 bytes of any
 * characters the file system accepts): a state file is named by a hash of the name, and a name that gets a
 * suffix ({@code .1}, {@code .reason.json}, {@code .tmp}) is shortened, deterministically, when the result
 * would pass {@value #MAX_BYTES} bytes, the limit of common Linux file systems. A name ferry makes is also one the
 * JVM can write ({@link #writable}): under a locale that is not UTF-8 (LANG unset or {@code C}: a cron job, a minimal
 * container) it cannot write back a name of other characters that it read from the disk.
 */
public final class SafeNames {

    /** Longest file name, in bytes. */
    public static final int MAX_BYTES = 255;
    private static final int HASH_CHARS = 32;

    private SafeNames() {
    }

    /** 32 hex characters of the SHA-256 of the name: 128 bits, no collision in practice. */
    public static String hash(String name) {
        return RecordKeys.sha256Hex(name).substring(0, HASH_CHARS);
    }

    /** Whether {@code name} fits the file system's limit. */
    public static boolean fits(String name) {
        return bytes(name) <= MAX_BYTES;
    }

    /**
     * {@code name} when it still fits with {@code suffixBytes} more; else its longest prefix (cut between
     * characters) that fits with {@code "~"}, the name's hash and the suffix. The same name always gives the
     * same result, and two names that share a long prefix still differ.
     */
    public static String shortened(String name, int suffixBytes) {
        if (bytes(name) + suffixBytes <= MAX_BYTES) {
            return name;
        }
        String tail = "~" + hash(name);
        int budget = MAX_BYTES - suffixBytes - tail.length();
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length();) {
            int codePoint = name.codePointAt(i);
            int size = bytes(new String(Character.toChars(codePoint)));
            if (used + size > budget) {
                break;
            }
            prefix.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return prefix + tail;
    }

    /**
     * {@code name} when the JVM can write it as a file name; else with {@code _} for each character it cannot
     * (those of a name it decoded without being able to encode them back), so that a file of that name can still be
     * claimed, set aside and moved, under a name as close to its own as the locale allows.
     */
    public static String writable(String name) {
        CharsetEncoder encoder = fileNames().newEncoder();
        if (encoder.canEncode(name)) {
            return name;
        }
        StringBuilder written = new StringBuilder();
        name.codePoints().forEach(codePoint -> {
            String character = Character.toString(codePoint);
            written.append(encoder.canEncode(character) ? character : "_");
        });
        return written.toString();
    }

    /** Whether the JVM can turn {@code name} back into a path ({@link #writable} says why it may not). */
    public static boolean encodable(String name) {
        return fileNames().newEncoder().canEncode(name);
    }

    /**
     * The name of a listed file as a run under a UTF-8 locale knew it (the name in its checkpoint): its bytes read as
     * UTF-8, whatever the locale. Under a locale that is not UTF-8 the name the JVM gives such a file has lost them.
     */
    public static String original(Path file) {
        return new String(nameBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * The name of a listed file for a person: the name the JVM gives it when that is the name on the disk; else
     * (a locale that cannot decode it, or a name that is not UTF-8) its bytes, each one outside ASCII as
     * {@code \xHH}, which any terminal prints.
     */
    public static String shown(Path file) {
        String name = file.getFileName().toString();
        byte[] bytes = nameBytes(file);
        if (Arrays.equals(name.getBytes(fileNames()), bytes)) {
            return name;
        }
        StringBuilder shown = new StringBuilder();
        for (byte b : bytes) {
            shown.append(b >= 0 ? String.valueOf((char) b) : String.format(Locale.ROOT, "\\x%02X", b & 0xFF));
        }
        return shown.toString();
    }

    /**
     * The bytes of a file's name as on the disk. A path keeps them, but the only public view of them is its URI,
     * %-escaped; its name as a string is already decoded in the locale's charset.
     */
    private static byte[] nameBytes(Path file) {
        String path = file.toAbsolutePath().toUri().getRawPath();
        int end = path.endsWith("/") ? path.length() - 1 : path.length(); // a folder's URI ends in /
        String escaped = path.substring(path.lastIndexOf('/', end - 1) + 1, end);
        byte[] bytes = new byte[escaped.length()];
        int length = 0;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%') {
                bytes[length++] = (byte) Integer.parseInt(escaped, i + 1, i + 3, 16);
                i += 2;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        return Arrays.copyOf(bytes, length);
    }

    /**
     * What the JVM encodes file names in: from the locale when it started (ASCII under LANG=C, even on a file system
     * of UTF-8 names); read at each call, never at build time (a native image).
     */
    private static Charset fileNames() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * The first name free in {@code folder} (a link, FIFO or folder of that name counts as taken) among
     * {@code name}, {@code name.1}, {@code name.2}, …, each {@link #shortened} so that {@code suffixBytes} more
     * still fit ({@link #writable} first).
     */
    public static Path free(Path folder, String given, int suffixBytes) {
        String name = writable(given);
        Path candidate = folder.resolve(shortened(name, suffixBytes));
        for (int n = 1; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); n++) {
            String number = "." + n;
            candidate = folder.resolve(shortened(name, number.length() + suffixBytes) + number);
        }
        return candidate;
    }

    /** A name of a file inside a folder: not empty, no separator, not {@code .} or {@code ..}. */
    public static boolean plain(String name) {
        return name != null && !name.isEmpty() && !name.contains("/") && !name.contains("\0") && !name.equals(".")
                && !name.equals("..");
    }

    static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }
}
