package dev.ferry.core;

/** A configuration mistake: the message names the property. Exit code 78. */
public class ConfigurationError extends RuntimeException {

    private final String property;

    public ConfigurationError(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
