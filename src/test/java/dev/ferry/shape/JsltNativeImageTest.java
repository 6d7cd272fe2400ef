package dev.ferry.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

import com.schibsted.spt.data.jslt.Parser;

/**
 * What the native image needs for JSLT, read from its jar (no GraalVM here): it wraps Java methods by reflection only
 * for functions an application registers (ferry registers none), and the static initializers that create a
 * {@code java.util.Random} (its {@code random()} function) must run when the executable starts, not in the image
 * builder, which refuses a Random in the image heap. See docs/NATIVE.md.
 */
class JsltNativeImageTest {

    @Test
    void jsltClassesThatCreateARandomWhenInitialized_areInitializedAtRunTime() throws Exception {
        List<String> randomInStaticInit = new ArrayList<>();
        forEachJsltClass(node -> {
            for (MethodNode method : node.methods) {
                if (method.name.equals("<clinit>") && creates(method, "java/util/Random")) {
                    randomInStaticInit.add(node.name.replace('/', '.'));
                }
            }
        });
        List<String> runTime = runTimeInitialized();

        assertThat(randomInStaticInit).as("JSLT still keeps a Random in a static field").isNotEmpty()
                .allSatisfy(type -> assertThat(runTime).as("--initialize-at-run-time covering %s", type)
                        .anyMatch(prefix -> type.equals(prefix) || type.startsWith(prefix + ".")));
    }

    @Test
    void jsltReflection_isOnlyInTheWrappersOfJavaFunctions_whichFerryDoesNotUse() throws Exception {
        List<String> reflective = new ArrayList<>();
        forEachJsltClass(node -> {
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof MethodInsnNode call && (call.owner.startsWith("java/lang/reflect/")
                            || call.owner.equals("java/lang/Class") && call.name.matches("forName|getMethods?|getDeclared.*"))) {
                        reflective.add(node.name.substring(node.name.lastIndexOf('/') + 1));
                    }
                }
            }
        });

        assertThat(reflective).isNotEmpty().allMatch(type -> type.equals("FunctionUtils") || type.equals("FunctionWrapper")
                || type.startsWith("FunctionWrapper$"));
        try (var sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(source)).as(source.toString()).doesNotContain("FunctionUtils")
                        .doesNotContain("withFunctions");
            }
        }
    }

    private interface ClassVisitor {
        void visit(ClassNode node) throws IOException;
    }

    private static void forEachJsltClass(ClassVisitor visitor) throws Exception {
        Path jar = Path.of(Parser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        ClassNode node = new ClassNode();
                        new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
                        visitor.visit(node);
                    }
                }
            }
        }
    }

    private static boolean creates(MethodNode method, String type) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof TypeInsnNode created && created.desc.equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The classes and packages named by --initialize-at-run-time in application.properties. */
    private static List<String> runTimeInitialized() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        List<String> names = new ArrayList<>();
        for (String arg : properties.getProperty("quarkus.native.additional-build-args", "").split(",")) {
            String stripped = arg.strip();
            if (stripped.startsWith("--initialize-at-run-time=")) {
                names.add(stripped.substring("--initialize-at-run-time=".length()));
            }
        }
        return names;
    }
}
