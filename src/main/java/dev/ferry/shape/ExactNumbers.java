package dev.ferry.shape;

import java.math.BigDecimal;
import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;

/**
 * Text → JSON numbers without binary floating point: a decimal keeps its digits and scale ({@code 9.50} stays
 * {@code 9.50}), an integer is exact at any size. Accepted text is a JSON number that may also have a leading
 * {@code +}, leading zeros, or nothing before or after the point ({@code .5}, {@code 5.}); ASCII only, so
 * {@code NaN}, {@code Infinity}, hex, {@code 1_000}, {@code 1,000} and other scripts' digits are refused.
 * <p>
 * A number's text is at most {@value #MAX_LENGTH} characters, Jackson's default limit when it reads JSON: what ferry
 * sends it can always read back (failed/ keeps the records it replays).
 */
final class ExactNumbers {

    static final int MAX_LENGTH = 1000;
    static final String NOT_A_NUMBER = "is not a number";
    /** Longest run of digits that always fits a long. */
    private static final int LONG_DIGITS = 18;

    private ExactNumbers() {
    }

    /** Why {@code text} is not a decimal number, or null when it is one. */
    static String decimalProblem(String text) {
        if (text.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        int i = 0;
        int n = text.length();
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return NOT_A_NUMBER;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return NOT_A_NUMBER;
            }
        }
        return i == n ? null : NOT_A_NUMBER;
    }

    /**
     * The decimal as written; call only when {@link #decimalProblem} found none.
     *
     * @throws NumberFormatException when the exponent does not fit an int
     */
    static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("has an exponent out of range"); // the grammar held: only that is left
        }
    }

    /**
     * The integer node for {@code text}: a whole number, written as digits or as a decimal whose fraction is zero
     * ({@code 3.0}, {@code 1e3}).
     *
     * @return the node, or null when the text is a number but not a whole one
     * @throws NumberFormatException when the text is not a number or too long; the message says which
     */
    static JsonNode integer(String text) {
        String problem = decimalProblem(text);
        if (problem != null) {
            throw new NumberFormatException(problem);
        }
        if (text.length() <= LONG_DIGITS && plainDigits(text)) {
            return integerNode(Long.parseLong(text)); // the common case: no BigDecimal
        }
        return integer(decimal(text));
    }

    /**
     * The integer node for a whole number.
     *
     * @return the node, or null when the value has a fraction
     * @throws NumberFormatException when it has more than {@value #MAX_LENGTH} digits
     */
    static JsonNode integer(BigDecimal value) {
        BigDecimal whole = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (whole.scale() > 0) {
            return null;
        }
        if (whole.precision() - (long) whole.scale() > MAX_LENGTH) {
            throw new NumberFormatException("has more than " + MAX_LENGTH + " digits");
        }
        BigInteger exact = whole.toBigIntegerExact();
        return exact.bitLength() < Long.SIZE ? integerNode(exact.longValue()) : BigIntegerNode.valueOf(exact);
    }

    /** A decimal node that keeps the value's scale (Jackson's factory may normalize it). */
    static JsonNode decimalNode(BigDecimal value) {
        return DecimalNode.valueOf(value);
    }

    private static JsonNode integerNode(long value) {
        return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    private static boolean plainDigits(String text) {
        for (int i = text.charAt(0) == '+' || text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
