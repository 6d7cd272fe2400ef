package dev.ferry.shape;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;
import com.schibsted.spt.data.jslt.impl.FileSystemResourceResolver;

import dev.ferry.core.ConfigurationError;

/**
 * {@code ferry.record.transform}: a JSLT expression (https://github.com/schibsted/jslt) applied to each record after
 * the field steps, for nesting and computed fields. Compiled once at start: a file that is missing, unreadable or not
 * valid JSLT stops the run before anything is sent. {@code import} statements are read relative to the file's folder.
 * <p>
 * The compiled expression is immutable and each application has its own scope, so one instance serves every thread.
 * Values the expression only passes on ({@code .price}, {@code * : .}) keep their exact JSON numbers; JSLT's own
 * arithmetic works in double and long.
 */
final class JsltTransform {

    private static final String PROPERTY = "ferry.record.transform";
    /** Where JavaCC's parse and lexical errors say the offending token is. */
    private static final Pattern POSITION = Pattern.compile(" ?at line (\\d+), column (\\d+)\\.?");

    /** The most levels of objects and arrays Jackson writes. */
    private static final int MAX_DEPTH = StreamWriteConstraints.defaults().getMaxNestingDepth();

    private final Expression expression;

    private JsltTransform(Expression expression) {
        this.expression = expression;
    }

    /**
     * Reads and compiles the expression in {@code file}.
     *
     * @throws ConfigurationError naming {@code ferry.record.transform}, the file, and for a syntax error its line
     *                            and column
     */
    static JsltTransform compile(Path file) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationError(PROPERTY, file + ": no such file");
        } catch (IOException e) {
            throw new ConfigurationError(PROPERTY, file + ": cannot be read (" + e.getMessage() + ")");
        }
        Path folder = file.toAbsolutePath().getParent();
        try {
            return new JsltTransform(new Parser(new StringReader(source)).withSource(file.toString())
                    .withResourceResolver(new FileSystemResourceResolver(folder)).compile());
        } catch (JsltException e) {
            throw new ConfigurationError(PROPERTY, file + ": " + describe(e));
        }
    }

    /**
     * The transformed record.
     *
     * @throws ShapeException naming {@link ShapeException#TRANSFORM} when the expression fails on this record or
     *                        returns anything but an object
     */
    ObjectNode apply(ObjectNode record) throws ShapeException {
        JsonNode result;
        ShapeException unsendable;
        try {
            result = expression.apply(record);
            unsendable = unsendable(result, 1);
        } catch (RuntimeException e) { // JsltException, or a function that failed on this record's values
            throw new ShapeException(ShapeException.TRANSFORM, String.valueOf(e.getMessage()), "failed");
        } catch (StackOverflowError e) { // a recursive function this record's values never end: the stack is unwound
            throw new ShapeException(ShapeException.TRANSFORM, "it recursed too deeply (stack overflow)", "failed");
        }
        if (unsendable != null) {
            throw unsendable;
        }
        if (result instanceof ObjectNode shaped) {
            return shaped;
        }
        throw new ShapeException(ShapeException.TRANSFORM, result, "returned "
                + (result == null ? "null" : ShapeException.kind(result)) + ", not an object");
    }

    /**
     * Why the result at {@code depth} cannot be sent, or null: a NaN or infinite number (JSLT's double arithmetic
     * overflowed, and Jackson would send the text {@code "Infinity"}), or more levels than Jackson writes (the
     * request, the content hash and failed/ could not be written, and the run would stop).
     */
    private static ShapeException unsendable(JsonNode node, int depth) {
        if (node == null) {
            return null;
        }
        if (node.isDouble() || node.isFloat()) {
            return Double.isFinite(node.doubleValue()) ? null : new ShapeException(ShapeException.TRANSFORM,
                    String.valueOf(node.doubleValue()), "made a number JSON cannot hold");
        }
        if (node.isContainerNode() && depth > MAX_DEPTH) {
            return new ShapeException(ShapeException.TRANSFORM, "", "made a record nested deeper than " + MAX_DEPTH
                    + " levels");
        }
        for (JsonNode child : node) {
            ShapeException found = unsendable(child, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** {@code line L, column C: message}, the message's first line without JavaCC's own position text. */
    private static String describe(JsltException e) {
        String message = e.getMessageWithoutLocation();
        String first = message.lines().findFirst().orElse(message).strip();
        Matcher position = POSITION.matcher(first);
        if (position.find()) {
            return "line " + position.group(1) + ", column " + position.group(2) + ": "
                    + (first.substring(0, position.start()) + first.substring(position.end())).strip();
        }
        return e.getLine() > 0 ? "line " + e.getLine() + ", column " + e.getColumn() + ": " + first : first;
    }
}
