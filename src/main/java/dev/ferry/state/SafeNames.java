package dev.ferry.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.ferry.ingest.RecordKeys;

/**
 * Names of files ferry makes from names it was given (an inbox file's, which may be up to 255 bytes of any
 * characters the file system accepts): a state file is named by a hash of the name, and a name that gets a
 * suffix ({@code .1}, {@code .reason.json}, {@code .tmp}) is shortened, deterministically, when the result
 * would pass {@value #MAX_BYTES} bytes, the limit of common Linux file systems.
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
     * The first name free in {@code folder} (a link, FIFO or folder of that name counts as taken) among
     * {@code name}, {@code name.1}, {@code name.2}, …, each {@link #shortened} so that {@code suffixBytes} more
     * still fit.
     */
    public static Path free(Path folder, String name, int suffixBytes) {
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
