package dev.ferry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * What ferry's compiled classes ({@code target/classes}) need from a native image, read from their bytecode so
 * that the native tests need no list that someone must remember to extend:
 * <ul>
 * <li>{@link #jacksonBound()}: every ferry type that Jackson binds by reflection. A call of a Jackson data-binding
 * method ({@code writeValueAsBytes}, {@code readValue(…, X.class)}, {@code convertValue}, …) binds the static type
 * of its value argument or the class literal it is given; a ferry method that passes its own {@code Object} or
 * {@code Class} parameter on to such a call (like {@code Json.write(Object)}) counts as one itself, so its callers
 * are read too. The types those records and classes contain (record components, fields, type arguments) are
 * bound as well. A value whose type cannot be seen (an {@code Object} that is not a parameter, a
 * {@code TypeReference}) is reported in {@link #unresolved()} rather than skipped. JsonNode trees, strings,
 * collections and other JDK types need no registration and are left out.</li>
 * <li>{@link #faultToleranceClasses()}: the classes named in SmallRye Fault Tolerance annotations
 * ({@code @CustomBackoff}, {@code @RetryWhen}, {@code @BeforeRetry}, {@code @Fallback}), which it creates with
 * {@code getConstructor().newInstance()}.</li>
 * <li>{@link #commands()}: the picocli {@code @Command} classes.</li>
 * <li>{@link #processStateInStaticInit()}: classes whose static initializer reads the environment, the clock or
 * the process, or creates threads, signals or files. Quarkus initializes classes while it builds the native
 * image, so such a class would keep the builder's values unless it is initialized at run time.</li>
 * </ul>
 */
final class NativeNeeds {

    static final Path CLASSES = Path.of("target/classes");
    private static final String FERRY = "dev/ferry/";
    private static final Set<String> VALUE_SINKS = Set.of("writeValueAsString", "writeValueAsBytes", "writeValue",
            "valueToTree", "convertValue");
    private static final Set<String> CLASS_SINKS = Set.of("readValue", "readValues", "treeToValue", "convertValue",
            "readerFor", "writerFor", "constructType", "canSerialize", "canDeserialize");
    private static final Set<String> FT_ANNOTATIONS = Set.of("Lio/smallrye/faulttolerance/api/CustomBackoff;",
            "Lio/smallrye/faulttolerance/api/RetryWhen;", "Lio/smallrye/faulttolerance/api/BeforeRetry;",
            "Lorg/eclipse/microprofile/faulttolerance/Fallback;");

    /** Calls that read or touch the running process: in a static initializer they would run in the image builder. */
    private static final Set<String> PROCESS_STATE = Set.of("java/lang/System.getenv", "java/lang/System.getProperty",
            "java/lang/System.getProperties", "java/lang/System.currentTimeMillis", "java/lang/System.nanoTime",
            "java/time/Instant.now", "java/time/LocalDateTime.now", "java/time/ZonedDateTime.now",
            "java/time/OffsetDateTime.now", "java/util/UUID.randomUUID", "java/lang/ProcessHandle.current",
            "java/lang/Runtime.availableProcessors", "java/net/InetAddress.getLocalHost", "sun/misc/Signal.<init>",
            "sun/misc/Signal.handle", "java/lang/Thread.<init>", "java/util/concurrent/Executors.*",
            "java/nio/file/Files.*", "java/nio/channels/FileChannel.open", "java/io/FileInputStream.<init>",
            "java/io/FileOutputStream.<init>", "java/io/RandomAccessFile.<init>", "java/util/Random.<init>()V",
            "java/security/SecureRandom.<init>");

    /** A method whose argument {@code argument} is bound by Jackson: as a value, or as the class to bind. */
    private record Sink(String owner, String name, String descriptor, int argument, boolean classLiteral) {
    }

    private final List<ClassNode> classes = new ArrayList<>();
    private final ClassLoader loader = NativeNeeds.class.getClassLoader();
    private final Set<Sink> ferrySinks = new LinkedHashSet<>();
    private final Set<String> boundNames = new TreeSet<>();
    private final Set<String> unresolved = new TreeSet<>();

    private NativeNeeds() {
    }

    /** Reads every class under {@code target/classes/dev/ferry}. */
    static NativeNeeds scan() throws IOException {
        NativeNeeds needs = new NativeNeeds();
        if (!Files.isDirectory(CLASSES.resolve(FERRY))) {
            throw new IllegalStateException(CLASSES + " has no dev/ferry classes: compile first");
        }
        try (Stream<Path> files = Files.walk(CLASSES.resolve(FERRY))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    ClassNode node = new ClassNode();
                    new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
                    needs.classes.add(node);
                }
            }
        }
        needs.findJacksonBindings();
        return needs;
    }

    /** Every ferry type Jackson binds, with the ferry types they contain. */
    Set<Class<?>> jacksonBound() {
        Set<Class<?>> bound = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (String name : boundNames) {
            todo.add(load(name));
        }
        while (!todo.isEmpty()) {
            Class<?> type = todo.poll();
            if (!bound.add(type)) {
                continue;
            }
            List<java.lang.reflect.Type> parts = new ArrayList<>();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    parts.add(component.getGenericType());
                }
            } else if (!type.isEnum()) {
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                        parts.add(field.getGenericType());
                    }
                }
            }
            for (java.lang.reflect.Type part : parts) {
                ferryClassesIn(part, todo);
            }
        }
        return bound;
    }

    /** Data-binding calls whose bound type the bytecode does not show; each is a place to look at by hand. */
    Set<String> unresolved() {
        return unresolved;
    }

    /** Classes named in fault tolerance annotations on ferry classes and methods. */
    Set<Class<?>> faultToleranceClasses() {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (ClassNode node : classes) {
            List<AnnotationNode> annotations = new ArrayList<>(annotations(node.visibleAnnotations));
            for (MethodNode method : node.methods) {
                annotations.addAll(annotations(method.visibleAnnotations));
            }
            for (AnnotationNode annotation : annotations) {
                if (FT_ANNOTATIONS.contains(annotation.desc) && annotation.values != null) {
                    for (int i = 1; i < annotation.values.size(); i += 2) {
                        if (annotation.values.get(i) instanceof Type type && type.getInternalName().startsWith(FERRY)) {
                            found.add(load(type.getInternalName()));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Every ferry class, loaded without being initialized. */
    List<Class<?>> allClasses() {
        List<Class<?>> loaded = new ArrayList<>();
        classes.forEach(node -> loaded.add(load(node.name)));
        return loaded;
    }

    /** The picocli commands. */
    Set<Class<?>> commands() {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (ClassNode node : classes) {
            if (annotations(node.visibleAnnotations).stream().anyMatch(a -> a.desc.equals("Lpicocli/CommandLine$Command;"))) {
                found.add(load(node.name));
            }
        }
        return found;
    }

    /** The version providers the {@code @Command} classes name: picocli creates them reflectively too. */
    Set<Class<?>> versionProviders() {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (ClassNode node : classes) {
            for (AnnotationNode command : annotations(node.visibleAnnotations)) {
                if (command.desc.equals("Lpicocli/CommandLine$Command;") && command.values != null) {
                    for (int i = 0; i + 1 < command.values.size(); i += 2) {
                        if ("versionProvider".equals(command.values.get(i))
                                && command.values.get(i + 1) instanceof Type provider) {
                            found.add(load(provider.getInternalName()));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Classes whose static initializer (or a static method of the same class it calls) reads process state. */
    Map<Class<?>, String> processStateInStaticInit() {
        Map<Class<?>, String> found = new LinkedHashMap<>();
        for (ClassNode node : classes) {
            Deque<MethodNode> todo = new ArrayDeque<>();
            Set<MethodNode> seen = new HashSet<>();
            node.methods.stream().filter(m -> m.name.equals("<clinit>")).forEach(todo::add);
            while (!todo.isEmpty()) {
                MethodNode method = todo.poll();
                if (!seen.add(method)) {
                    continue;
                }
                for (AbstractInsnNode insn : method.instructions) {
                    if (!(insn instanceof MethodInsnNode call)) {
                        continue;
                    }
                    String name = call.owner + "." + call.name;
                    if (PROCESS_STATE.contains(name) || PROCESS_STATE.contains(name + call.desc)
                            || PROCESS_STATE.contains(call.owner + ".*")) {
                        found.putIfAbsent(load(node.name), name.replace('/', '.'));
                    } else if (call.owner.equals(node.name) && call.getOpcode() == Opcodes.INVOKESTATIC) {
                        node.methods.stream().filter(m -> m.name.equals(call.name) && m.desc.equals(call.desc))
                                .forEach(todo::add);
                    }
                }
            }
        }
        return found;
    }

    private void findJacksonBindings() {
        int known;
        do {
            known = ferrySinks.size();
            for (ClassNode node : classes) {
                for (MethodNode method : node.methods) {
                    if (method.instructions.size() > 0) {
                        scan(node, method);
                    }
                }
            }
        } while (ferrySinks.size() != known);
    }

    private void scan(ClassNode owner, MethodNode method) {
        List<Sink> calls = new ArrayList<>();
        List<MethodInsnNode> sites = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call) {
                for (Sink sink : sinksOf(call)) {
                    calls.add(sink);
                    sites.add(call);
                }
            }
        }
        if (calls.isEmpty()) {
            return;
        }
        Frame<BasicValue>[] types;
        Frame<SourceValue>[] sources;
        try {
            SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(owner.name),
                    owner.superName == null ? null : Type.getObjectType(owner.superName),
                    owner.interfaces.stream().map(Type::getObjectType).toList(), (owner.access & Opcodes.ACC_INTERFACE) != 0);
            verifier.setClassLoader(loader);
            types = new Analyzer<>(verifier).analyze(owner.name, method);
            sources = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
        } catch (AnalyzerException | RuntimeException e) {
            unresolved.add(where(owner, method) + ": cannot analyse (" + e + ")");
            return;
        }
        for (int i = 0; i < calls.size(); i++) {
            Sink sink = calls.get(i);
            MethodInsnNode call = sites.get(i);
            int index = method.instructions.indexOf(call);
            if (types[index] == null) {
                continue; // unreachable code
            }
            int arguments = Type.getArgumentTypes(call.desc).length;
            int slot = types[index].getStackSize() - arguments + sink.argument();
            BasicValue value = types[index].getStack(slot);
            SourceValue source = sources[index].getStack(slot);
            String site = where(owner, method) + " → " + call.name;
            if (sink.classLiteral()) {
                classArgument(owner, method, source, site);
            } else {
                valueArgument(owner, method, value, source, site);
            }
        }
    }

    private void classArgument(ClassNode owner, MethodNode method, SourceValue source, String site) {
        for (AbstractInsnNode origin : source.insns) {
            if (origin instanceof LdcInsnNode ldc && ldc.cst instanceof Type type) {
                bind(type);
            } else if (parameterIndex(method, origin) >= 0) {
                ferrySinks.add(new Sink(owner.name, method.name, method.desc, parameterIndex(method, origin), true));
            } else {
                unresolved.add(site + ": the class to bind is not a literal");
            }
        }
    }

    private void valueArgument(ClassNode owner, MethodNode method, BasicValue value, SourceValue source, String site) {
        Type type = value.getType();
        if (type == null || type.getSort() != Type.OBJECT || !type.getInternalName().equals("java/lang/Object")) {
            if (type != null) {
                bind(type);
            }
            return;
        }
        // declared as Object: follow it back to the caller when it is one of this method's parameters
        for (AbstractInsnNode origin : source.insns) {
            int parameter = parameterIndex(method, origin);
            if (parameter >= 0 && (method.access & Opcodes.ACC_SYNTHETIC) == 0) {
                ferrySinks.add(new Sink(owner.name, method.name, method.desc, parameter, false));
            } else {
                unresolved.add(site + ": an Object whose type the bytecode does not show");
            }
        }
    }

    private void bind(Type type) {
        Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
        if (element.getSort() == Type.OBJECT && element.getInternalName().startsWith(FERRY)) {
            boundNames.add(element.getInternalName());
        }
    }

    private List<Sink> sinksOf(MethodInsnNode call) {
        List<Sink> sinks = new ArrayList<>();
        if (call.owner.startsWith("com/fasterxml/jackson/")) {
            Type[] arguments = Type.getArgumentTypes(call.desc);
            for (int i = 0; i < arguments.length; i++) {
                String argument = arguments[i].getDescriptor();
                if (CLASS_SINKS.contains(call.name) && argument.equals("Ljava/lang/Class;")) {
                    sinks.add(new Sink(call.owner, call.name, call.desc, i, true));
                } else if (VALUE_SINKS.contains(call.name) && argument.equals("Ljava/lang/Object;")) {
                    sinks.add(new Sink(call.owner, call.name, call.desc, i, false));
                } else if ((CLASS_SINKS.contains(call.name) || VALUE_SINKS.contains(call.name))
                        && (argument.endsWith("/TypeReference;") || argument.endsWith("/JavaType;"))) {
                    unresolved.add(call.owner + "." + call.name + " with a " + arguments[i].getClassName()
                            + ": name the type with a class literal instead");
                }
            }
        } else {
            for (Sink sink : ferrySinks) {
                if (sink.owner().equals(call.owner) && sink.name().equals(call.name)
                        && sink.descriptor().equals(call.desc)) {
                    sinks.add(sink);
                }
            }
        }
        return sinks;
    }

    /** The argument index of a parameter the instruction loads, or -1. */
    private static int parameterIndex(MethodNode method, AbstractInsnNode insn) {
        if (!(insn instanceof VarInsnNode load) || load.getOpcode() != Opcodes.ALOAD) {
            return -1;
        }
        int slot = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        Type[] arguments = Type.getArgumentTypes(method.desc);
        for (int i = 0; i < arguments.length; i++) {
            if (slot == load.var) {
                return i;
            }
            slot += arguments[i].getSize();
        }
        return -1;
    }

    private static void ferryClassesIn(java.lang.reflect.Type type, Deque<Class<?>> todo) {
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith("dev.ferry.")) {
                todo.add(element);
            }
        } else if (type instanceof ParameterizedType parameterized) {
            ferryClassesIn(parameterized.getRawType(), todo);
            for (java.lang.reflect.Type argument : parameterized.getActualTypeArguments()) {
                ferryClassesIn(argument, todo);
            }
        } else if (type instanceof GenericArrayType array) {
            ferryClassesIn(array.getGenericComponentType(), todo);
        } else if (type instanceof WildcardType wildcard) {
            for (java.lang.reflect.Type bound : wildcard.getUpperBounds()) {
                ferryClassesIn(bound, todo);
            }
        }
    }

    private static List<AnnotationNode> annotations(List<AnnotationNode> list) {
        return list == null ? List.of() : list;
    }

    private static String where(ClassNode owner, MethodNode method) {
        return owner.name.replace('/', '.') + "." + method.name;
    }

    private Class<?> load(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
