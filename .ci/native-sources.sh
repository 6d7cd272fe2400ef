#!/usr/bin/env bash
# Native readiness without GraalVM or Docker: the sources-only native build (everything native-image would be
# given: target/native-sources/native-image.args, the runner jar with the metadata Quarkus generated, lib/),
# then NativeSourcesTest against it. docs/NATIVE.md says what is checked and what only the hosted workflow can.
#
# It builds in a temporary copy of the project, so this project's target/ is left as it was: the sources-only
# build would replace target/quarkus-artifact.properties (the packaged-jar tests read it) and leave a
# target/native-sources that NativeSourcesTest would check in every later `./mvnw verify`.
# FERRY_NATIVE_SOURCES_OUT=dir keeps a copy of target/native-sources there (to run native-image elsewhere).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# JDK 17 is the project's Java; pick it explicitly (the machine may have a newer one).
for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-1.17.0-openjdk-amd64; do
  if [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; break; fi
done
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"

work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-native-sources.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=./target --exclude=./.git -cf - . | tar -C "$work" -xf -
cd "$work"

echo "== sources-only native build (in $work)"
./mvnw -B -q package -DskipTests -Dquarkus.native.enabled=true -Dquarkus.package.jar.enabled=false \
  -Dquarkus.native.sources-only=true
ls target/native-sources

echo "== NativeSourcesTest"
./mvnw -B surefire:test -Dtest=NativeSourcesTest -Dferry.native-sources.required=true

if [ -n "${FERRY_NATIVE_SOURCES_OUT:-}" ]; then
  rm -rf "$FERRY_NATIVE_SOURCES_OUT" && mkdir -p "$(dirname "$FERRY_NATIVE_SOURCES_OUT")"
  cp -r target/native-sources "$FERRY_NATIVE_SOURCES_OUT"
  echo "native sources kept in $FERRY_NATIVE_SOURCES_OUT"
fi
