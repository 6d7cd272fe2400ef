package dev.ferry;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * One log record, one line: the control characters of a message are written as escapes ({@code \n}, {@code \r},
 * {@code \u001b}, …). Whoever writes the inbox picks its file names, and a name may hold a newline: written as it
 * is, it would start a line of its own that reads like one of ferry's ("... ERROR ... run ...: exit 0"), and a
 * terminal escape sequence would act on the operator's terminal. A stack trace is printed below its line as usual.
 * On the console handler ({@code quarkus.log.console.filter}), plain text and JSON alike.
 */
@LoggingFilter(name = OneLineLogMessages.NAME)
public final class OneLineLogMessages implements Filter {

    public static final String NAME = "one-line-messages";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext && holdsControls(ext)) { // formatted here only then: once is enough
            String message = ext.getFormattedMessage();
            if (message != null && holdsControls(message)) {
                ext.setMessage(escaped(message), ExtLogRecord.FormatStyle.NO_FORMAT);
            }
        }
        return true;
    }

    /** Whether the message's pattern or one of its parameters holds a control character. */
    private static boolean holdsControls(LogRecord record) {
        if (holdsControls(record.getMessage())) {
            return true;
        }
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            for (Object parameter : parameters) {
                if (parameter != null && holdsControls(parameter.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsControls(String text) {
        return text != null && text.chars().anyMatch(OneLineLogMessages::control);
    }

    /** {@code text} with each control character but tab as an escape. */
    static String escaped(String text) {
        StringBuilder line = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (!control(c)) {
                line.append((char) c);
            } else if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else {
                line.append(String.format("\\u%04x", c));
            }
        });
        return line.toString();
    }

    /** C0 and C1 controls but tab, DEL, and the Unicode line and paragraph separators. */
    private static boolean control(int c) {
        return (Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029';
    }
}
