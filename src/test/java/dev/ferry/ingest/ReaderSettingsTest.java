package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.core.ConfigurationError;

class ReaderSettingsTest {

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = ' ', quoteCharacter = '\'', value = { "',' 44", "; 59", "| 124", "tab 9", "TAB 9", "\\t 9" })
    void delimiter_acceptsTheDocumentedValues(String value, int expected) {
        assertThat(ReaderSettings.delimiter(value)).isEqualTo((byte) expected);
        assertThat(ReaderSettings.delimiter("\t")).isEqualTo((byte) '\t');
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = { "", " ", "\"", "a", ",,", "\\n", "\n", "tabs", ":" })
    void delimiter_refusesAnythingElse_namingTheProperty(String value) {
        ConfigurationError error = catchThrowableOfType(ConfigurationError.class, () -> ReaderSettings.delimiter(value));
        assertThat(error.property()).isEqualTo("ferry.csv.delimiter");
        assertThat(error.getMessage()).startsWith("ferry.csv.delimiter: ").contains(", ; | or tab");
    }
}
