package dev.ferry.shape;

/**
 * What an empty CSV cell becomes ({@code ferry.csv.empty}, lowercase in configuration). CSV cannot tell a missing
 * value from an empty text, so the operator says which the API should see. For a field typed other than
 * {@code string}, a cell of white space only counts as empty too.
 */
public enum CsvEmpty {
    /** {@code null} (the default): the API sees the field with no value. */
    NULL,
    /** The field is left out of the record. */
    OMIT,
    /** The empty text {@code ""}; a field typed other than {@code string} gets {@code null}, as "" is none of them. */
    STRING
}
