package dev.ferry.ingest;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generated text beyond the characters a property names: any Unicode code point, 4-byte ones included. */
final class CodePoints {

    private CodePoints() {
    }

    /** One code point as a string; never a surrogate, which is no character and has no UTF-8 encoding. */
    static Arbitrary<String> any() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE).map(Character::toString);
    }
}
