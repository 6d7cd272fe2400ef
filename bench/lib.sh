# Shared by the benchmark scripts (bench/run.sh, bench/shards.sh); sourced, not run. The caller sets ROOT, OUT (its
# log folder), KEEP (1: keep the data dirs), JAR, STUB_CLASS, CP (the stub's class path), STUB_HEAP and PIDS=(), and
# traps EXIT with cleanup: every process started through these functions is stopped on exit; every wait is bounded.

scrub_environment() { # nothing from the caller's environment may change a run: ferry reads FERRY_*/QUARKUS_*
    local name
    while read -r name; do unset "$name"; done < <(env | grep -oE '^(FERRY|QUARKUS)_[A-Za-z0-9_]*' || true)
    unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS || true
}

stop_pid() { # stop_pid PID: TERM, up to 10 s, then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [ "$KEEP" = 0 ]; then rm -rf "$OUT"/data-*; fi
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

start_stub() { # start_stub NAME ARGS...: sets STUB_PID, STUB_URL
    local name=$1 i
    shift
    java $STUB_HEAP -cp "$CP" dev.ferry.bench.BenchStub --port 0 "$@" >"$OUT/$name.out" 2>&1 &
    STUB_PID=$!
    PIDS+=("$STUB_PID")
    STUB_URL=""
    for i in $(seq 300); do
        STUB_URL=$(sed -n 's/^listening on //p' "$OUT/$name.out")
        [ -n "$STUB_URL" ] && return 0
        kill -0 "$STUB_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "stub $name did not start:" >&2; cat "$OUT/$name.out" >&2; exit 1
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

gen_ndjson() { # gen_ndjson N FILE [PREFIX]: N records of ~125 bytes, distinct keys
    awk -v n="$1" -v p="${3:-k}" 'BEGIN { for (i = 1; i <= n; i++)
        printf "{\"id\":\"%s%07d\",\"name\":\"customer %d\",\"email\":\"c%d@example.com\",\"amount\":\"%d.%02d\",\"currency\":\"EUR\",\"note\":\"benchmark record\"}\n",
            p, i, i, i, i % 10000, i % 100 }' >"$2"
}
new_data_dir() { # new_data_dir NAME: an empty data dir, path in DATA
    DATA=$OUT/data-$1
    rm -rf "$DATA"
    mkdir -p "$DATA/inbox"
}

build_if_needed() { # ./mvnw package when the jar or the stub class is missing or older than the sources
    local newest_src
    newest_src=$(find src pom.xml -type f -newer "$JAR" 2>/dev/null | head -1 || true)
    if [ ! -f "$JAR" ] || [ ! -f "$STUB_CLASS" ] || [ -n "$newest_src" ]; then
        echo "building (./mvnw -B -q package -DskipTests)…"
        run_bounded 1200 "$OUT/build.log" ./mvnw -B -q package -DskipTests || { cat "$OUT/build.log" >&2; exit 1; }
    fi
}

machine() { # one line: CPUs, model, RAM, the JVM, the kernel
    echo "nproc $(nproc); $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) \
(family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1), model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1), \
$(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo | head -1 | cut -d. -f1) MHz); \
RAM $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); \
$(java -version 2>&1 | sed -n 2p); $(uname -sr)"
}
