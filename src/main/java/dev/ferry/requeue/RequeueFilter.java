package dev.ferry.requeue;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.ferry.state.RejectedEntry;

/**
 * Which rejected/ lines {@code ferry requeue} selects: every filter given must match (AND); a filter given several
 * times matches when any of its values does (OR). Without any filter it selects nothing unless told {@code --all}, so
 * that nobody moves all of rejected/ by accident. Values are checked when the filter is made: a bad one is the
 * operator's mistake, named with its option. Immutable.
 */
public final class RequeueFilter {

    /** {@code --status given-up}: records ferry stopped retrying ({@code ferry.failed.max-runs}, {@code max-age}). */
    public static final String GIVEN_UP = "given-up";

    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx");
    private static final Pattern LINE_SUFFIX = Pattern.compile(":[0-9]+$");

    private final List<Pattern> files;
    private final List<String> keys;
    private final List<String> statuses;
    private final List<String> reasons;

    private RequeueFilter(List<Pattern> files, List<String> keys, List<String> statuses, List<String> reasons) {
        this.files = files;
        this.keys = keys;
        this.statuses = statuses;
        this.reasons = reasons;
    }

    /**
     * @param files    globs on the name of the source file a record came from ({@code *} any characters, {@code ?} one)
     * @param keys     keys, exactly
     * @param statuses HTTP statuses ({@code 422}), classes ({@code 4xx}) or {@value #GIVEN_UP}
     * @param reasons  text found in the reason or the API's answer, case-insensitive
     * @param all      selects every line when no filter is given
     * @throws IllegalArgumentException naming the option when a value is not usable, or when neither a filter nor
     *                                  {@code all} is given
     */
    public static RequeueFilter of(List<String> files, List<String> keys, List<String> statuses, List<String> reasons,
            boolean all) {
        for (String status : statuses) {
            if (!STATUS.matcher(status).matches() && !STATUS_CLASS.matcher(status).matches()
                    && !status.equals(GIVEN_UP)) {
                throw new IllegalArgumentException("--status " + status
                        + ": give an HTTP status (422), a class (4xx) or " + GIVEN_UP);
            }
        }
        for (String reason : reasons) {
            if (reason.isBlank()) {
                throw new IllegalArgumentException("--reason: give some text of the reason or of the API's answer");
            }
        }
        if (files.isEmpty() && keys.isEmpty() && statuses.isEmpty() && reasons.isEmpty() && !all) {
            throw new IllegalArgumentException("requeue everything in rejected/? pass --all, or select with --file, "
                    + "--key, --status or --reason");
        }
        return new RequeueFilter(files.stream().map(RequeueFilter::glob).toList(), List.copyOf(keys),
                List.copyOf(statuses), reasons.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList());
    }

    /** Whether the line is selected; a line without a record can match {@code --file} and {@code --reason} only. */
    public boolean matches(RejectedEntry entry) {
        return (files.isEmpty() || files.stream().anyMatch(glob -> glob.matcher(sourceFile(entry.source())).matches()))
                && (keys.isEmpty() || entry.key() != null && keys.contains(entry.key()))
                && (statuses.isEmpty() || statuses.stream().anyMatch(status -> status(status, entry)))
                && (reasons.isEmpty() || reasons.stream().anyMatch(reason -> contains(entry.reason(), reason)
                        || contains(entry.body(), reason)));
    }

    /** The file part of a {@code source} ({@code name.csv:12} → {@code name.csv}). */
    static String sourceFile(String source) {
        return source == null ? "" : LINE_SUFFIX.matcher(source).replaceFirst("");
    }

    private static boolean status(String status, RejectedEntry entry) {
        if (status.equals(GIVEN_UP)) {
            return entry.status() == null && entry.record() != null;
        }
        if (entry.status() == null) {
            return false;
        }
        return status.endsWith("xx") ? entry.status() / 100 == status.charAt(0) - '0'
                : entry.status() == Integer.parseInt(status);
    }

    private static boolean contains(String text, String lowerCase) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(lowerCase);
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        return Pattern.compile(regex.append(Pattern.quote(literal.toString())).toString(), Pattern.DOTALL);
    }
}
