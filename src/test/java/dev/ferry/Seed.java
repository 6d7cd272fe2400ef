package dev.ferry;

/**
 * A chaos test's seed: {@code -D<name>.seed} when given, else the clock's. It is printed with the command that runs
 * the test again with it, and {@link #rerun()} heads every failure message.
 */
record Seed(long value, String rerun) {

    static Seed of(String name, Class<?> test) {
        long value = Long.getLong(name + ".seed", System.nanoTime());
        String rerun = name + " seed " + value + " (rerun: ./mvnw verify -Dit.test=" + test.getSimpleName() + " -D"
                + name + ".seed=" + value + ")";
        System.out.println(rerun);
        return new Seed(value, rerun);
    }
}
