# What the bench/ scripts share: processes stopped on exit, bounded waits, the loopback stub, generated records,
# and the two JVMs they compare: ferry as the JVM image runs it, and as the image ran it before (see BENCHMARKS.md).
# Sourced, not run: `source bench/lib.sh; bench_init NAME` (NAME names the output folder target/bench/NAME-<time>).
#
# Environment: BENCH_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64) is the JDK 25 the image's JVM is measured
# with; `java` on the PATH must be a JDK 17 (the build's, and the previous image's).

bench_init() { # bench_init NAME: ROOT, OUT, JAR, CP; output teed to $OUT/output.txt; every process in PIDS stopped on exit
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    ROOT=$PWD
    STAMP=$(date -u +%Y%m%dT%H%M%SZ)
    OUT=$ROOT/target/bench/$1-$STAMP
    mkdir -p "$OUT"
    exec > >(tee -a "$OUT/output.txt") 2>&1
    JAR=$ROOT/target/quarkus-app/quarkus-run.jar
    # the stub's class path; BENCH_STUB_CP replaces it where there is no jar (a native build)
    CP=${BENCH_STUB_CP:-"$ROOT/target/test-classes:$ROOT/target/quarkus-app/lib/main/*:$ROOT/target/quarkus-app/app/*"}
    CLK_TCK=$(getconf CLK_TCK)
    # Nothing from the caller's environment may change a run: ferry reads FERRY_*/QUARKUS_*, java JAVA_TOOL_OPTIONS.
    while read -r name; do unset "$name"; done < <(env | grep -oE '^(FERRY|QUARKUS|MP)_[A-Za-z0-9_]*' || true)
    unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS || true
    PIDS=()
    KEEP=${KEEP:-0}
    trap bench_cleanup EXIT
    trap 'echo "interrupted" >&2; exit 130' INT TERM
}

bench_cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [ "$KEEP" = 0 ]; then rm -rf "$OUT"/data-*; fi
}

stop_pid() { # stop_pid PID: TERM, up to 10 s, then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

run_bounded() { # run_bounded SECONDS LOG CMD...: runs CMD (killed after SECONDS), output to LOG; returns its status
    local seconds=$1 log=$2 rc=0
    shift 2
    timeout -k 10 "$seconds" "$@" >"$log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    return $rc
}

start_stub() { # start_stub NAME ARGS...: BenchStub (FlakyApi) in its own JVM; sets STUB_PID, STUB_URL
    local name=$1 i
    shift
    : >"$OUT/$name.out" # before the fork: the loop below may read it before the child opens it
    java ${STUB_HEAP:--Xmx3g} -cp "$CP" dev.ferry.bench.BenchStub --port 0 "$@" >"$OUT/$name.out" 2>&1 &
    STUB_PID=$!
    PIDS+=("$STUB_PID")
    STUB_URL=""
    for i in $(seq 300); do
        STUB_URL=$(sed -n 's/^listening on //p' "$OUT/$name.out" || true)
        [ -n "$STUB_URL" ] && return 0
        kill -0 "$STUB_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "stub $name did not start:" >&2; cat "$OUT/$name.out" >&2; exit 1
}

cpu_seconds() { # cpu_seconds PID: user+system CPU seconds of a live process
    awk -v t="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
median() { # median: of the numbers on stdin, one a line
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

new_data_dir() { # new_data_dir NAME: an empty data dir, path in DATA
    DATA=$OUT/data-$1
    rm -rf "$DATA"
    mkdir -p "$DATA/inbox"
}

gen_ndjson() { # gen_ndjson N FILE [PREFIX]: N records of ~125 bytes, distinct keys
    awk -v n="$1" -v p="${3:-k}" 'BEGIN { for (i = 1; i <= n; i++)
        printf "{\"id\":\"%s%07d\",\"name\":\"customer %d\",\"email\":\"c%d@example.com\",\"amount\":\"%d.%02d\",\"currency\":\"EUR\",\"note\":\"benchmark record\"}\n",
            p, i, i, i, i % 10000, i % 100 }' >"$2"
}

time_value() { # time_value FILE PATTERN: a value of GNU time -v's output
    sed -n "s/^[[:space:]]*$2: //p" "$1"
}
time_cpu() { # time_cpu FILE: user + system seconds from GNU time -v's output
    calc "$(time_value "$1" 'User time (seconds)') + $(time_value "$1" 'System time (seconds)')"
}

seconds() { # seconds H:MM:SS.ss|M:SS.ss: GNU time's elapsed time in seconds
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$1"
}

measured_run() { # measured_run NAME RECORDS_FILE CONCURRENCY CMD...: one whole `CMD run` (start to exit, under GNU time)
    # of RECORDS_FILE from a fresh data dir against $STUB_URL. Sets RUN_CPU (user + system s), RUN_WALL (s), RUN_RSS
    # (peak, MiB), RUN_SECONDS (the report's durationSeconds), RUN_FIRST (s from the start to the API's first request:
    # the first line of the stub's request log $STUB_LOG after the start, 10 ms resolution; "-" without a log). Every
    # record must be delivered. The stub's counters are reset afterwards (they must be zero when it starts).
    local name=$1 file=$2 concurrency=$3 data=$OUT/data-$1 rc=0 t0 report records
    shift 3
    records=$(wc -l <"$file")
    rm -rf "$data"
    mkdir -p "$data/inbox"
    if [ "$records" -gt 0 ]; then cp "$file" "$data/inbox/records.ndjson"; fi
    t0=$(date +%s%3N)
    run_bounded 1800 "$OUT/$name.log" env FERRY_DATA_DIR="$data" FERRY_INBOX_SETTLE=0s FERRY_TARGET_URL="$STUB_URL" \
        FERRY_DELIVERY_CONCURRENCY="$concurrency" /usr/bin/time -v -o "$OUT/$name.time" "$@" run || rc=$?
    report=$(ls "$data"/reports/*.json 2>/dev/null | tail -1 || true)
    if [ -z "$report" ] || [ "$(jq .records.delivered "$report")" != "$records" ] || [ "$rc" != 0 ]; then
        echo "    $name: exit $rc, not all $records records delivered:" >&2; tail -5 "$OUT/$name.log" >&2; exit 1
    fi
    RUN_FIRST=-
    if [ -n "${STUB_LOG:-}" ] && [ "$records" -gt 0 ]; then
        sleep 0.05 # the log's last sample
        RUN_FIRST=$(awk -v t0="$t0" '!/^#/ && $1 >= t0 && $2 > 0 { print ($1 - t0) / 1000; exit }' "$STUB_LOG")
    fi
    curl -sf -X POST "$STUB_URL/_reset" >/dev/null
    RUN_CPU=$(time_cpu "$OUT/$name.time")
    RUN_WALL=$(seconds "$(time_value "$OUT/$name.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
    RUN_RSS=$(( $(time_value "$OUT/$name.time" 'Maximum resident set size (kbytes)') / 1024 ))
    RUN_SECONDS=$(jq .durationSeconds "$report")
    rm -rf "$data"
}

machine() { # one line: cores, CPU, RAM, kernel
    echo "nproc $(nproc); $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
        "(family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
        "model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
        "$(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo | head -1 | cut -d. -f1) MHz);" \
        "RAM $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr)"
}

build_if_stale() { # ./mvnw package when the jar or the test classes are missing or older than the sources
    local newest
    newest=$(find src pom.xml -type f -newer "$JAR" 2>/dev/null | head -1 || true)
    if [ ! -f "$JAR" ] || [ ! -f "$ROOT/target/test-classes/dev/ferry/bench/BenchStub.class" ] || [ -n "$newest" ]; then
        echo "building (./mvnw -B -q package -DskipTests)…"
        run_bounded 1200 "$OUT/build.log" ./mvnw -B -q package -DskipTests || { cat "$OUT/build.log" >&2; exit 1; }
    fi
}

# ---------------------------------------------------------------- the JVM image's JVM, from src/main/docker/Dockerfile.jvm
DOCKERFILE_JVM=src/main/docker/Dockerfile.jvm
dockerfile_env() { # dockerfile_env NAME: the value of `ENV NAME="…"` in Dockerfile.jvm
    sed -n "s/^ENV $1=\"\\(.*\\)\"\$/\\1/p" "$DOCKERFILE_JVM"
}
dockerfile_run() { # dockerfile_run WORD: the shell command of the RUN instruction that contains WORD, lines joined
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$DOCKERFILE_JVM" | sed -n "/^RUN .*$1/{s/^RUN //p;q}"
}

image_jvm() { # sets IMAGE_JVM: java and options as the JVM image runs ferry (JDK 25, its AOT cache), with the heap
    # run-java.sh gives it: JAVA_MAX_MEM_RATIO % of the container's memory limit (BENCH_MEMORY_LIMIT_MIB, default the
    # chart's 256). The cache is made as the image's build makes it, when missing or older than the jar.
    local jdk=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64} app=$ROOT/target/quarkus-app step
    [ -x "$jdk/bin/java" ] || { echo "the JVM image runs JDK 25: set BENCH_JDK25 to one (missing: $jdk)" >&2; exit 2; }
    if [ ! -f "$app/app.aot" ] || [ "$JAR" -nt "$app/app.aot" ]; then
        step=$(dockerfile_run AOTCacheOutput)
        step=${step//\/deployments\//$app/}
        step=${step//\/tmp\//$OUT/aot-tmp/}
        mkdir -p "$OUT/aot-tmp"
        echo "making the AOT cache as the image does (a ferry demo with $jdk)…"
        PATH=$jdk/bin:$PATH JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=$OUT/aot-tmp run_bounded 600 "$OUT/aot-cache.log" \
            bash -euc "$step" || { tail -20 "$OUT/aot-cache.log" >&2; exit 1; }
    fi
    local opts
    opts="$(dockerfile_env GC_CONTAINER_OPTIONS) $(dockerfile_env JAVA_OPTS_APPEND)"
    local ratio heap
    ratio=$(dockerfile_env JAVA_MAX_MEM_RATIO); ratio=${ratio:-80}
    heap=$(( ${BENCH_MEMORY_LIMIT_MIB:-256} * ratio / 100 ))
    # -XX:MaxRAM: in the container the JVM sizes what it is not told (the initial heap: 1/64 of the limit) from the
    # memory limit, not from this machine's RAM, which would commit the whole heap from the start
    IMAGE_JVM="$jdk/bin/java -XX:MaxRAM=${BENCH_MEMORY_LIMIT_MIB:-256}m -Xmx${heap}m ${opts//\/deployments\//$app/}"
}

previous_jvm() { # sets PREVIOUS_JVM: java and options as the JVM image ran ferry before the AOT cache (e14051f): JDK 17,
    # fast-jar, an AppCDS archive of one empty run, tiered compilation, G1 -Xmn24m. Builds that jar once, aside.
    local app=$ROOT/target/bench-fast-jar
    if [ ! -f "$app/quarkus-run.jar" ] || [ "$JAR" -nt "$app/quarkus-run.jar" ]; then
        echo "building the fast-jar of the previous image into target/bench-fast-jar…"
        # the build names its artifact in target/quarkus-artifact.properties, which the packaged tests read: kept
        cp target/quarkus-artifact.properties "$OUT/quarkus-artifact.properties"
        run_bounded 1200 "$OUT/build-fast-jar.log" ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.type=fast-jar \
            -Dquarkus.package.output-directory=bench-fast-jar || { cat "$OUT/build-fast-jar.log" >&2; exit 1; }
        cp "$OUT/quarkus-artifact.properties" target/quarkus-artifact.properties
        rm -f "$app/app-cds.jsa"
    fi
    if [ ! -f "$app/app-cds.jsa" ]; then
        mkdir -p "$OUT/data-appcds/inbox"
        FERRY_DATA_DIR=$OUT/data-appcds FERRY_TARGET_URL=http://127.0.0.1:9 run_bounded 300 "$OUT/appcds.log" \
            java -XX:ArchiveClassesAtExit="$app/app-cds.jsa" -Xlog:cds=error -jar "$app/quarkus-run.jar" run
    fi
    PREVIOUS_JVM="java -Xmx256m -XX:+UseG1GC -Xmn24m -XX:SharedArchiveFile=$app/app-cds.jsa"
    PREVIOUS_JAR=$app/quarkus-run.jar
}
