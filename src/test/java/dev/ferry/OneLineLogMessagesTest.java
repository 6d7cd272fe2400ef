package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class OneLineLogMessagesTest {

    final OneLineLogMessages filter = new OneLineLogMessages();

    @Test
    void aParameterWithANewline_isWrittenAsAnEscape_andTheRecordStaysOneLine() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "delivering %s", ExtLogRecord.FormatStyle.PRINTF,
                getClass().getName());
        record.setParameters(new Object[] { "a.ndjson\n2026-11-29 10:00:00,000 ERROR [d.f.r.FerryRun] run x: exit 0" });

        assertThat(filter.isLoggable(record)).isTrue();

        assertThat(record.getFormattedMessage())
                .isEqualTo("delivering a.ndjson\\n2026-11-29 10:00:00,000 ERROR [d.f.r.FerryRun] run x: exit 0")
                .doesNotContain("\n");
    }

    @Test
    void terminalEscapesCarriageReturnsAndLineSeparators_areEscaped_tabsAndUnicodeLettersAreNot() {
        assertThat(OneLineLogMessages.escaped("a\r\u001b[31mb\u2028c\td-données-日本"))
                .isEqualTo("a\\r\\u001b[31mb\\u2028c\td-données-日本");
    }

    @Test
    void aMessageWithoutControls_isLeftAsItIs() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "run %s: exit %d", ExtLogRecord.FormatStyle.PRINTF,
                getClass().getName());
        record.setParameters(new Object[] { "r1", 0 });

        filter.isLoggable(record);

        assertThat(record.getFormatStyle()).isEqualTo(ExtLogRecord.FormatStyle.PRINTF);
        assertThat(record.getFormattedMessage()).isEqualTo("run r1: exit 0");
    }
}
