package dev.ferry.shape;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;

/**
 * The canonical text of ISO-8601 dates ({@code yyyy-MM-dd}) and offset date-times
 * ({@code yyyy-MM-ddTHH:mm:ss[.fraction]±hh:mm}, {@code Z} for a zero offset, the fraction without trailing zeros),
 * as {@link DateTimeFormatter#ISO_LOCAL_DATE} and {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} read and write them.
 * The forms exports write ({@code 2024-03-01}, {@code 2024-03-01T10:20:00Z}, {@code 2024-03-01 10:20+02:00}) are
 * read by hand, since java.time's parser costs about a microsecond and 2 KB a value; text already canonical is
 * returned as it is. Every other form, and every value out of range, goes to java.time, which decides.
 */
final class IsoDates {

    private IsoDates() {
    }

    /**
     * @return the date as {@code yyyy-MM-dd} (a year beyond 9999 with its sign)
     * @throws DateTimeException when it is not an ISO date
     */
    static String date(String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-'
                && validDate(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10))) {
            return text;
        }
        return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).toString();
    }

    /**
     * @param text an ISO date-time with an offset; a space may stand for the {@code T}
     * @return its canonical form
     * @throws DateTimeException when it is not one
     */
    static String dateTime(String text) {
        String canonical = commonForm(text);
        if (canonical != null) {
            return canonical;
        }
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(iso,
                DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** Whether the text reads as a local date-time: only the offset is missing. */
    static boolean isLocalDateTime(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        try {
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.parse(iso);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The canonical form of {@code yyyy-MM-dd[T ]HH:mm[:ss[.f{1,9}]](Z|±hh:mm)} in range, or null for java.time. */
    private static String commonForm(String s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':') {
            return null;
        }
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        if (!validDate(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10)) || hour < 0 || hour > 23 || minute < 0
                || minute > 59) {
            return null;
        }
        int i = 16;
        boolean seconds = false;
        int fractionStart = -1;
        int fractionEnd = -1;
        if (i < n && s.charAt(i) == ':') {
            int second = i + 3 <= n ? digits(s, i + 1, i + 3) : -1;
            if (second < 0 || second > 59) {
                return null;
            }
            seconds = true;
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                fractionStart = ++i;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                fractionEnd = i;
                if (fractionEnd == fractionStart || fractionEnd - fractionStart > 9) {
                    return null;
                }
            }
        }
        boolean zeroOffset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            zeroOffset = true;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, i + 3);
            int minutes = digits(s, i + 4, i + 6);
            if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
                return null;
            }
            zeroOffset = hours == 0 && minutes == 0;
        } else {
            return null;
        }
        int significantEnd = fractionEnd;
        while (significantEnd > fractionStart && s.charAt(significantEnd - 1) == '0') {
            significantEnd--; // java.time writes the fraction without trailing zeros, and none when it is zero
        }
        boolean alreadyCanonical = s.charAt(10) == 'T' && seconds && significantEnd == fractionEnd
                && (zeroOffset == (s.charAt(i) == 'Z'));
        if (alreadyCanonical) {
            return s;
        }
        StringBuilder canonical = new StringBuilder(n + 3).append(s, 0, 10).append('T').append(s, 11, 16);
        canonical.append(seconds ? s.substring(16, 19) : ":00");
        if (significantEnd > fractionStart) {
            canonical.append('.').append(s, fractionStart, significantEnd);
        }
        return canonical.append(zeroOffset ? "Z" : s.substring(i)).toString();
    }

    private static boolean validDate(int year, int month, int day) {
        return year >= 0 && month >= 1 && month <= 12 && day >= 1
                && day <= Month.of(month).length(IsoChronology.INSTANCE.isLeapYear(year));
    }

    /** The number written in {@code text[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
