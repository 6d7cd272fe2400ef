package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ferry.demo.FlakyStats;
import dev.ferry.state.BreakerStateFile;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Quarantine;
import dev.ferry.state.ReplayGeneration;
import dev.ferry.state.RunReport;
import dev.ferry.status.Backlog;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must be told about ferry's own classes, checked against the compiled code on every build
 * (no GraalVM needed; {@link NativeSourcesTest} checks what Quarkus then generates). A new type written with
 * Jackson, a new fault tolerance strategy or a static initializer that reads the environment fails here until
 * it is declared. See docs/NATIVE.md.
 */
class NativeRegistrationTest {

    /** Types known to be written to and read from the data volume or the status output: the scan finds at least these. */
    static final Set<Class<?>> KNOWN_JACKSON_BOUND = Set.of(Checkpoint.class, Checkpoint.Kind.class,
            BreakerStateFile.Saved.class, ReplayGeneration.class, RunReport.class, RunReport.Records.class,
            RunReport.FileSummary.class, Backlog.View.class, Backlog.InProgress.class, FlakyStats.class,
            FlakyStats.IdempotencyKeys.class, Quarantine.Note.class, Quarantine.Entry.class);

    static NativeNeeds needs;

    @BeforeAll
    static void scan() throws IOException {
        needs = NativeNeeds.scan();
    }

    @Test
    void scan_findsTheStateReportAndStatusTypes() {
        assertThat(needs.jacksonBound()).containsAll(KNOWN_JACKSON_BOUND);
    }

    @Test
    void scan_seesTheTypeOfEveryJacksonBinding() {
        assertThat(needs.unresolved()).as("Jackson bindings whose type the bytecode does not show: bind a typed "
                + "value or a class literal, or teach NativeNeeds").isEmpty();
    }

    @Test
    void everyJacksonBoundType_isRegisteredForReflection_withMethodsAndFields() {
        Set<Class<?>> targets = registrationTargets();
        assertThat(needs.jacksonBound()).allSatisfy(type -> assertThat(registeredWhole(type, targets))
                .as("%s is bound by Jackson: annotate it @RegisterForReflection", type.getName()).isTrue());
    }

    @Test
    void everyFaultToleranceStrategy_isRegisteredForReflection_andHasAPublicNoArgConstructor() throws Exception {
        Set<Class<?>> strategies = needs.faultToleranceClasses();
        assertThat(strategies).extracting(Class::getSimpleName).contains("RetryAfterBackoff", "RetryableFault");
        Set<Class<?>> targets = registrationTargets();
        for (Class<?> strategy : strategies) {
            assertThat(registeredWhole(strategy, targets)).as("%s is created reflectively by SmallRye Fault Tolerance: "
                    + "annotate it @RegisterForReflection", strategy.getName()).isTrue();
            assertThat(Modifier.isPublic(strategy.getConstructor().getModifiers())).isTrue();
        }
    }

    @Test
    void classesThatReadTheProcessInTheirStaticInitializer_areInitializedAtRunTime() throws IOException {
        Set<String> runtime = initializedAtRunTime(Path.of("src/main/resources/application.properties"));
        assertThat(needs.processStateInStaticInit()).allSatisfy((type, call) -> assertThat(runtime)
                .as("%s calls %s in its static initializer, which in a native image runs in the image builder: add "
                        + "--initialize-at-run-time=%s to quarkus.native.additional-build-args", type.getName(), call,
                        type.getName())
                .contains(type.getName()));
    }

    /** Classes named in {@code @RegisterForReflection(targets|classNames)} of some ferry class. */
    private static Set<Class<?>> registrationTargets() {
        Set<Class<?>> targets = new HashSet<>();
        for (Class<?> type : needs.allClasses()) {
            RegisterForReflection registration = type.getAnnotation(RegisterForReflection.class);
            if (registration != null && registration.methods() && registration.fields()) {
                targets.addAll(List.of(registration.targets()));
                for (String name : registration.classNames()) {
                    try {
                        targets.add(Class.forName(name, false, type.getClassLoader()));
                    } catch (ClassNotFoundException e) {
                        throw new AssertionError(type + " registers a class that does not exist: " + name, e);
                    }
                }
            }
        }
        return targets;
    }

    /** Registered with its methods and fields: annotated itself, nested in an annotated class, or a target. */
    static boolean registeredWhole(Class<?> type, Set<Class<?>> targets) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            RegisterForReflection registration = c.getAnnotation(RegisterForReflection.class);
            if (registration != null && registration.targets().length == 0 && registration.classNames().length == 0
                    && (c == type || !registration.ignoreNested())) {
                return registration.methods() && registration.fields();
            }
        }
        return targets.contains(type);
    }

    /** The classes named by {@code --initialize-at-run-time} in {@code quarkus.native.additional-build-args}. */
    static Set<String> initializedAtRunTime(Path properties) throws IOException {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(properties)) {
            values.load(in);
        }
        String args = values.getProperty("quarkus.native.additional-build-args", "");
        return initializedAtRunTime(List.of(args.split("(?<!\\\\),")));
    }

    /** The classes named by {@code --initialize-at-run-time=a,b} arguments. */
    static Set<String> initializedAtRunTime(List<String> args) {
        return args.stream().map(String::strip).filter(arg -> arg.startsWith("--initialize-at-run-time="))
                .flatMap(arg -> List.of(arg.substring(arg.indexOf('=') + 1).split("\\\\?,")).stream())
                .map(String::strip).filter(name -> !name.isEmpty()).collect(Collectors.toSet());
    }
}
