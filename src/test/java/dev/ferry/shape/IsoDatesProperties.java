package dev.ferry.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The hand-written reading of common date and datetime forms agrees with java.time: the same canonical text for every
 * way an export writes a value, and the same values refused.
 */
class IsoDatesProperties {

    /** Ways a datetime is written. */
    enum Spelling {
        CANONICAL, SPACE_FOR_T, NINE_DIGIT_FRACTION, ZERO_OFFSET_AS_NUMBERS, MINUTES_ONLY_WHEN_WHOLE;

        String spell(OffsetDateTime value) {
            String canonical = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
            String local = value.toLocalDateTime().format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
            String offset = value.getOffset().getTotalSeconds() == 0 ? "Z" : value.getOffset().getId();
            return switch (this) {
                case CANONICAL -> canonical;
                case SPACE_FOR_T -> canonical.substring(0, 10) + ' ' + canonical.substring(11);
                case NINE_DIGIT_FRACTION -> local + String.format(".%09d", value.getNano()) + offset;
                case ZERO_OFFSET_AS_NUMBERS -> value.getOffset().getTotalSeconds() == 0
                        ? canonical.substring(0, canonical.length() - 1) + "+00:00" : canonical;
                case MINUTES_ONLY_WHEN_WHOLE -> value.getSecond() == 0 && value.getNano() == 0
                        ? local.substring(0, 16) + offset : canonical;
            };
        }
    }

    @Property(tries = 1000)
    void dateTime_writtenAnyCommonWay_givesJavaTimesCanonicalText(@ForAll("dateTimes") OffsetDateTime value,
            @ForAll Spelling spelling) {
        assertThat(IsoDates.dateTime(spelling.spell(value))).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
    }

    @Property(tries = 1000)
    void dateTime_withFieldsOutOfRange_isRefusedExactlyWhenJavaTimeRefusesIt(@ForAll @IntRange(max = 9999) int year,
            @ForAll @IntRange(max = 14) int month, @ForAll @IntRange(max = 32) int day, @ForAll @IntRange(max = 25) int hour,
            @ForAll @IntRange(max = 61) int minute, @ForAll @IntRange(max = 61) int second,
            @ForAll @IntRange(max = 19) int offsetHours) {
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", year, month, day, hour, minute, second,
                offsetHours);

        assertThat(result(() -> IsoDates.dateTime(text))).isEqualTo(result(() -> DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME))));
    }

    @Property(tries = 500)
    void date_isRefusedExactlyWhenJavaTimeRefusesIt(@ForAll @IntRange(max = 9999) int year,
            @ForAll @IntRange(max = 14) int month, @ForAll @IntRange(max = 32) int day) {
        String text = String.format("%04d-%02d-%02d", year, month, day);

        assertThat(result(() -> IsoDates.date(text))).isEqualTo(result(() -> LocalDate.parse(text).toString()));
    }

    private interface Conversion {
        String run();
    }

    /** The text, or "refused". */
    private static String result(Conversion conversion) {
        try {
            return conversion.run();
        } catch (DateTimeException e) {
            return "refused";
        }
    }

    @Provide
    Arbitrary<OffsetDateTime> dateTimes() {
        Arbitrary<LocalDateTime> local = Arbitraries.longs().between(LocalDateTime.of(0, 1, 1, 0, 0)
                .toEpochSecond(ZoneOffset.UTC), LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC))
                .map(seconds -> LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.of(120_000_000, 500_000_000, 100),
                Arbitraries.integers().between(0, 999_999_999));
        Arbitrary<ZoneOffset> offsets = Arbitraries.oneOf(Arbitraries.just(ZoneOffset.UTC),
                Arbitraries.integers().between(-18 * 4, 18 * 4).map(quarters -> ZoneOffset.ofTotalSeconds(quarters * 900)));
        Arbitrary<Boolean> wholeMinute = Arbitraries.of(true, false);
        return Combinators.combine(local, nanos, offsets, wholeMinute).as((time, nano, offset, whole) -> OffsetDateTime.of(
                whole ? time.withSecond(0) : time.withNano(nano), offset));
    }
}
