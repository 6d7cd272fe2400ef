package dev.ferry.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.SourceFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Integer and decimal values survive shaping exactly: a CSV cell, spelled as exports spell numbers, is typed, sent as
 * body bytes and read back (as the API, or ferry replaying failed/, reads it) to the same number, a decimal with the
 * same scale; and the canonical JSON that the content hash and Idempotency-Key are computed from is the same before
 * sending and after reading back.
 */
class ExactNumbersProperties {

    static final RecordShaper SHAPER = Rules.keyField("id").type("n", FieldType.INTEGER).type("d", FieldType.DECIMAL)
            .shaper();

    /** Ways a whole number is written in a CSV export (at most 4 characters more than its digits). */
    enum IntegerSpelling {
        PLAIN, PLUS_SIGN, LEADING_ZEROS, ZERO_FRACTION, EXPONENT;

        String spell(BigInteger value) {
            String digits = value.abs().toString();
            String sign = value.signum() < 0 ? "-" : "";
            return switch (this) {
                case PLAIN -> value.toString();
                case PLUS_SIGN -> value.signum() < 0 ? value.toString() : "+" + digits;
                case LEADING_ZEROS -> sign + "000" + digits;
                case ZERO_FRACTION -> value + ".000";
                case EXPONENT -> new BigDecimal(value).stripTrailingZeros().toString(); // 1.23E+5 for 123000
            };
        }
    }

    /** Ways a decimal is written. */
    enum DecimalSpelling {
        AS_BIGDECIMAL_WRITES_IT, PLAIN, PLUS_SIGN, LOWERCASE_EXPONENT
    }

    @Property(tries = 600)
    void integerCell_survivesExactly(@ForAll("integers") BigInteger value, @ForAll IntegerSpelling spelling)
            throws Exception {
        JsonNode back = roundTrip("n", spelling.spell(value));

        assertThat(back.isIntegralNumber()).as("sent as an integer: %s", back).isTrue();
        assertThat(back.bigIntegerValue()).isEqualTo(value);
    }

    @Property(tries = 600)
    void decimalCell_survivesExactly_withItsScale(@ForAll("decimals") BigDecimal value, @ForAll DecimalSpelling spelling)
            throws Exception {
        String cell = switch (spelling) {
            case AS_BIGDECIMAL_WRITES_IT -> value.toString();
            case PLAIN -> value.toPlainString();
            case PLUS_SIGN -> value.signum() < 0 ? value.toString() : "+" + value;
            case LOWERCASE_EXPONENT -> value.toString().toLowerCase();
        };

        BigDecimal back = roundTrip("d", cell).decimalValue();

        assertThat(back).isEqualByComparingTo(value);
        assertThat(back.scale()).as("scale of %s sent for %s", back, cell)
                .isEqualTo(spelling == DecimalSpelling.PLAIN ? Math.max(value.scale(), 0) : value.scale());
    }

    /** Shapes a CSV row holding {@code cell}, checks the canonical JSON is stable through the body, returns the value read back. */
    private static JsonNode roundTrip(String field, String cell) throws ShapeException {
        ObjectNode shaped = SHAPER.shape(Rules.csv("id", "1", field, cell), SourceFormat.CSV).record();
        byte[] body = Json.bytes(shaped);
        JsonNode read = Json.read(new String(body, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(Json.canonical(read)).as("canonical JSON after reading back the body of %s", cell)
                .isEqualTo(Json.canonical(shaped));
        return read.get(field);
    }

    @Provide
    Arbitrary<BigInteger> integers() {
        BigInteger huge = BigInteger.TEN.pow(400);
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
                Arbitraries.bigIntegers().between(huge.negate(), huge),
                Arbitraries.of(BigInteger.ZERO, BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                        BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE), BigInteger.TEN.pow(990).negate()));
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        BigInteger huge = BigInteger.TEN.pow(200);
        Arbitrary<BigInteger> unscaled = Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.valueOf(-100_000),
                BigInteger.valueOf(100_000)), Arbitraries.bigIntegers().between(huge.negate(), huge));
        Arbitrary<Integer> scale = Arbitraries.oneOf(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(-300, 300));
        return net.jqwik.api.Combinators.combine(unscaled, scale).as(BigDecimal::new);
    }
}
