package dev.ferry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log record that reaches the root logger while open (whatever the category or level the
 * console shows), formatted as the console would print its message, stack traces included.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One captured line: logger name, level and the formatted message with any stack trace. */
    public record Line(String logger, Level level, String text) {
        @Override
        public String toString() {
            return level + " [" + logger + "] " + text;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Everything captured, one line per record. */
    public String all() {
        StringBuilder all = new StringBuilder();
        lines.forEach(line -> all.append(line).append('\n'));
        return all.toString();
    }

    public List<Line> of(String logger) {
        return lines.stream().filter(line -> line.logger().equals(logger)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            message = message + "\n" + trace;
        }
        lines.add(new Line(String.valueOf(record.getLoggerName()), record.getLevel(), String.valueOf(message)));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
