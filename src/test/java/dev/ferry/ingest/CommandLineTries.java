package dev.ferry.ingest;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets the command line override the tries and the seed of the properties of a class annotated with
 * {@code @AddLifecycleHook(CommandLineTries.class)}: {@code -Dferry.property.tries=20000} explores more files,
 * {@code -Dferry.property.seed=<seed>} replays the seed jqwik reported with a failure. jqwik 1.9 has no such switch
 * of its own: {@code -Djqwik.tries.default} (a JUnit Platform configuration parameter, read from system properties
 * too) only applies to a {@code @Property} that names no tries, and the readers' properties name theirs so that a
 * plain build stays quick.
 */
public class CommandLineTries implements AroundPropertyHook {

    static final String TRIES = "ferry.property.tries";
    static final String SEED = "ferry.property.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        Integer tries = Integer.getInteger(TRIES);
        if (tries != null) {
            context.attributes().setTries(tries);
        }
        String seed = System.getProperty(SEED);
        if (seed != null) {
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }

    /** Annotated on a class, it applies to the class's properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }
}
