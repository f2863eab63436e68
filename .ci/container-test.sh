#!/usr/bin/env bash
# The container image, built and run here with podman (no Docker engine, no registry, no network in the build):
#   1. installs podman, runc, debootstrap and uidmap if missing, and points podman at a containers.conf that
#      works on this kind of machine (runc, ulimits under the hard limits, no seccomp filter);
#   2. makes the Dockerfile's base images locally with debootstrap (once; later runs reuse podman's store) and
#      tags them with the exact names of its FROM lines;
#   3. builds the image from the repo's Dockerfile with a jar built beforehand (--build-arg PREBUILT_JAR);
#   4. runs it: --version, a loopback self-test on a read-only root, non-root user, a server's idle memory
#      (RSS after ~5 s; read-only root without any tmpfs, so epoll must load without a writable /tmp) and a
#      test against that server; prints the image size.
# Ends with `container: N passed, N failed`; exits non-zero on any failure. Re-runnable; removes its containers.
set -euo pipefail
shopt -s inherit_errexit   # set -e inside $(...) too
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

IMAGE=netbench:ci
JAR=cli/target/netbench.jar
IDLE_SECONDS=${IDLE_SECONDS:-5}
IDLE_RSS_LIMIT_MIB=${IDLE_RSS_LIMIT_MIB:-96}   # a regression guard: ~57 MiB measured, 73 with the JVM defaults
IMAGE_SIZE_LIMIT_MB=${IMAGE_SIZE_LIMIT_MB:-120}  # as podman counts it; the runtime is FROM scratch, ~70 MB

passed=0
failed=0
summary_printed=0
containers=()
tmp=$(mktemp -d /tmp/netbench-container-test.XXXXXX)

ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
summary() {
  summary_printed=1
  echo "container: ${passed} passed, ${failed} failed"
}
cleanup() {
  local rc=$?
  for c in "${containers[@]+"${containers[@]}"}"; do
    podman rm -f -t 0 "$c" > /dev/null 2>&1 || true
  done
  rm -rf "$tmp"
  if [ "$summary_printed" = 0 ]; then
    # a setup step failed under set -e: count it, so the closing line tells
    echo "FAIL: setup step failed (exit $rc)"
    failed=$((failed + 1))
    summary
    [ "$rc" != 0 ] || rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT

echo "== tools"
packages=(podman runc debootstrap uidmap python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" > "$tmp/apt.log" 2>&1 || { tail -20 "$tmp/apt.log"; exit 1; }
fi
# crun (podman's default) fails here (setrlimit, cgroups hybrid mode); runc works with ulimits under the hard
# limits; the default seccomp profile blocks io_uring.
cat > "$tmp/containers.conf" << 'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
seccomp_profile = "unconfined"
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$tmp/containers.conf"
echo "$(podman --version), $(runc --version | head -1)"

echo "== base images"
# The Debian mirror apt already uses: the first deb source carrying the suite, from sources.list(.d).
mirror_for() {
  python3 - "$1" << 'EOF'
import glob, os, sys
suite = sys.argv[1]
found = []
files = (["/etc/apt/sources.list"] if os.path.exists("/etc/apt/sources.list") else []) \
    + sorted(glob.glob("/etc/apt/sources.list.d/*.list")) + sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))
for f in files:
    text = open(f, encoding="utf-8", errors="replace").read()
    if f.endswith(".sources"):                      # deb822 stanzas
        for stanza in text.split("\n\n"):
            fields = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line or line[:1].isspace():
                    continue
                k, v = line.split(":", 1)
                fields[k.strip().lower()] = v.split()
            if fields.get("enabled", ["yes"])[0] == "no" or "deb" not in fields.get("types", []):
                continue
            if suite in fields.get("suites", []):
                found += fields.get("uris", [])
    else:                                           # one-line format: deb [options] uri suite components
        for line in text.splitlines():
            parts = line.split("#", 1)[0].split()
            if not parts or parts[0] != "deb":
                continue
            parts = parts[1:]
            if parts and parts[0].startswith("["):
                while parts and not parts[0].endswith("]"):
                    parts = parts[1:]
                parts = parts[1:]
            if len(parts) >= 2 and parts[1] == suite:
                found.append(parts[0])
if not found:
    sys.exit("no deb source for suite %s in /etc/apt/sources.list or sources.list.d" % suite)
print(found[0])
EOF
}
# podman's full name for a FROM reference (docker.io/library/ for official images, as docker resolves them)
full_name() {
  local ref=$1 first=${1%%/*}
  if [[ "$ref" != */* ]]; then
    echo "docker.io/library/$ref"
  elif [[ "$first" == *.* || "$first" == *:* || "$first" == localhost ]]; then
    echo "$ref"
  else
    echo "docker.io/$ref"
  fi
}
# One debootstrap per kind of base (plain, JRE, JDK, JDK + Maven), imported as localhost/netbench-base:KIND.
make_base() {
  local kind=$1 suite=$2 include="" local_name="localhost/netbench-base:$2-$1"
  if podman image exists "$local_name"; then
    echo "$local_name"
    return
  fi
  case "$kind" in
    plain) include="" ;;
    jre) include="openjdk-17-jre-headless" ;;
    jdk) include="openjdk-17-jdk-headless,binutils" ;;   # binutils: objcopy, as in the temurin JDK images
    maven) include="openjdk-17-jdk-headless,binutils,maven" ;;
  esac
  local mirror rootfs start=$SECONDS
  mirror=$(mirror_for "$suite") || return 1
  rootfs=$(mktemp -d /var/tmp/netbench-rootfs.XXXXXX)
  echo "debootstrap $suite ($kind${include:+: $include}) from $mirror" >&2
  debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$rootfs" "$mirror" \
    > "$tmp/debootstrap-$kind.log" 2>&1 || { tail -20 "$tmp/debootstrap-$kind.log" >&2; rm -rf "$rootfs"; return 1; }
  # as small as the official images: no package lists, downloaded .debs, and (plain) no docs, man pages or locales
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
  if [ "$kind" = plain ]; then
    find "$rootfs"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2> /dev/null || true
    rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  fi
  local path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  local changes=(--change "CMD [\"/bin/bash\"]")
  if [ "$kind" != plain ]; then
    local java_home
    java_home=$(cd "$rootfs" && ls -d usr/lib/jvm/java-17-openjdk-* | head -1)
    changes+=(--change "ENV JAVA_HOME=/$java_home")
    path="/$java_home/bin:$path"
  fi
  changes+=(--change "ENV PATH=$path")
  tar -C "$rootfs" -c . | podman import "${changes[@]}" - "$local_name" > /dev/null
  rm -rf "$rootfs"
  echo "made $local_name in $((SECONDS - start)) s" >&2
  echo "$local_name"
}
# FROM lines: external images only (not stages, not scratch, not ${ARG}-built names). The Maven stage ("build")
# is never run with PREBUILT_JAR, so its image is not made here.
mapfile -t from_lines < <(grep -iE '^[[:space:]]*FROM[[:space:]]' Dockerfile)
stages=()
bases=()
for line in "${from_lines[@]}"; do
  read -r -a w <<< "$line"
  i=1
  [[ "${w[$i]}" == --platform=* ]] && i=2
  ref=${w[$i]}
  stage=""
  if [ "${#w[@]}" -gt $((i + 2)) ] && [[ "${w[$((i + 1))],,}" == as ]]; then stage=${w[$((i + 2))]}; fi
  skip=0
  for s in "${stages[@]+"${stages[@]}"}"; do [ "$s" = "$ref" ] && skip=1; done
  [ -n "$stage" ] && stages+=("$stage")
  if [ "$skip" = 1 ] || [ "$ref" = scratch ] || [[ "$ref" == *'$'* ]] || [ "$stage" = build ]; then continue; fi
  bases+=("$ref")
done
suite=bookworm
for ref in "${bases[@]}"; do
  tag=${ref##*:}
  case "$ref" in
    *debian:*) suite=${tag%%-*} ;;
  esac
done
for ref in "${bases[@]}"; do
  name=$(full_name "$ref")
  if podman image exists "$name"; then
    echo "$ref: present ($name)"
    continue
  fi
  case "$ref" in
    *maven*) kind=maven ;;
    *jdk*) kind=jdk ;;
    *jre*) kind=jre ;;
    *) kind=plain ;;
  esac
  local_name=$(make_base "$kind" "$suite")
  podman tag "$local_name" "$name"
  echo "$ref: made locally ($local_name tagged $name)"
done

echo "== jar"
if [ ! -f "$JAR" ]; then
  ./mvnw -B -q -DskipTests package -pl cli -am
fi
ls -l "$JAR"

echo "== build: podman build --pull=never --network=none --build-arg PREBUILT_JAR=$JAR -t $IMAGE -f Dockerfile ."
old_id=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2> /dev/null || true)
start=$SECONDS
if podman build --pull=never --network=none --build-arg PREBUILT_JAR="$JAR" -t "$IMAGE" -f Dockerfile . \
  > "$tmp/build.log" 2>&1; then
  grep -E '^(STEP|jlink modules|netbench|protocol)' "$tmp/build.log" | sed 's/^/  /' || true
  ok "image built in $((SECONDS - start)) s"
else
  cat "$tmp/build.log"
  bad "podman build"
  summary
  exit 1
fi
new_id=$(podman image inspect --format '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  podman rmi "$old_id" > /dev/null 2>&1 || true   # the previous run's image, now untagged
fi
# Stale build cache: untagged images of this Dockerfile's stages (their history names netbench) that this
# build neither made nor reused, i.e. those of an older jar. The current build's cache stays.
stale=0
for id in $(podman images -q --no-trunc -f dangling=true); do
  short=${id#sha256:}
  grep -q "${short:0:11}" "$tmp/build.log" && continue
  podman image inspect --format '{{range .History}}{{.CreatedBy}} {{end}}' "$id" 2> /dev/null | grep -q netbench || continue
  podman rmi "$id" > /dev/null 2>&1 && stale=$((stale + 1)) || true
done
echo "  $(grep -c 'Using cache' "$tmp/build.log" || true) steps from the build cache; ${stale} stale cache images removed"

echo "== run: --version"
expected_version=$(python3 -c '
import xml.etree.ElementTree as ET
print(ET.parse("pom.xml").getroot().find("{http://maven.apache.org/POM/4.0.0}version").text)')
version_out=$(timeout 60 podman run --rm --network=none "$IMAGE" --version 2>&1) || true
echo "$version_out" | sed 's/^/  /'
if echo "$version_out" | head -1 | grep -qx "netbench $expected_version"; then
  ok "--version prints netbench $expected_version"
else
  bad "--version: expected 'netbench $expected_version'"
fi

echo "== run: loopback self-test (read-only root, tmpfs /tmp)"
if timeout 120 podman run --rm --network=none --read-only --tmpfs /tmp "$IMAGE" \
  client -t 1 --warmup 0.2 --json > "$tmp/self.json" 2> "$tmp/self.err"; then
  if python3 - "$tmp/self.json" << 'EOF'; then
import json, sys
doc = json.load(open(sys.argv[1]))
need = {"tcp_bw": ["bits_per_second", "bytes"], "tcp_lat": ["latency_us", "round_trips", "msg_rate"],
        "http": ["requests_per_second", "complete"]}
got = {r.get("test"): r for r in doc.get("results", [])}
problems = []
for test, keys in need.items():
    r = got.get(test)
    if r is None:
        problems.append("no %s result" % test)
        continue
    for k in keys:
        if not isinstance(r.get(k), (int, float)) or r[k] <= 0:
            problems.append("%s.%s = %r" % (test, k, r.get(k)))
transport = doc.get("settings", {}).get("transport")
if transport != "epoll":
    problems.append("transport %r, not epoll" % transport)
for test in need:
    r = got.get(test, {})
    print("  %-8s %s" % (test, ", ".join("%s=%.4g" % (k, r[k]) for k in need[test] if isinstance(r.get(k), (int, float)))))
print("  transport", transport)
if problems:
    print("  " + "; ".join(problems))
    sys.exit(1)
EOF
    ok "self-test: tcp_bw, tcp_lat and http with positive figures, epoll transport"
  else
    bad "self-test results"
    sed 's/^/  stderr: /' "$tmp/self.err" | tail -20
  fi
else
  bad "self-test exited non-zero"
  sed 's/^/  stderr: /' "$tmp/self.err" | tail -20
fi

echo "== run: non-root"
image_user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
# the image has no id(1): the shell's builtins read the effective uid from the kernel
uid=$(timeout 60 podman run --rm --network=none --entrypoint /bin/sh "$IMAGE" \
  -c 'while read -r key real effective rest; do [ "$key" = Uid: ] && echo "$effective"; done < /proc/self/status' 2>&1) || true
echo "  image User: ${image_user:-<none>}; id -u in the container: $uid"
if [[ "$uid" =~ ^[0-9]+$ ]] && [ "$uid" != 0 ] && [ -n "$image_user" ] && [[ "${image_user%%:*}" != 0 && "${image_user%%:*}" != root ]]; then
  ok "runs as uid $uid (not root)"
else
  bad "image runs as root (User '${image_user}', id -u '$uid')"
fi

echo "== run: netbench server, idle (read-only root and no /tmp at all, as readOnlyRootFilesystem in Kubernetes)"
server=netbench-ci-server-$$
containers+=("$server")
podman rm -f -t 0 "$server" > /dev/null 2>&1 || true
podman run -d --name "$server" --network=none --read-only --read-only-tmpfs=false "$IMAGE" > /dev/null
listening=0
for _ in $(seq 1 100); do
  if podman logs "$server" 2>&1 | grep -q 'listening on'; then listening=1; break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$server")" = true ] || break
  sleep 0.2
done
podman logs "$server" 2>&1 | sed 's/^/  log: /'
if [ "$listening" = 1 ] && podman logs "$server" 2>&1 | grep -q '(epoll[;)]'; then
  ok "server listening (epoll)"
else
  bad "server did not start listening with epoll"
fi
sleep "$IDLE_SECONDS"
pid=$(podman inspect --format '{{.State.Pid}}' "$server")
if [ "$listening" = 1 ] && [ -r "/proc/$pid/status" ]; then
  comm=$(cat "/proc/$pid/comm")
  rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  anon_kib=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")
  file_kib=$(awk '/^RssFile:/ {print $2}' "/proc/$pid/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  rss_mib=$(awk -v k="$rss_kib" 'BEGIN {printf "%.1f", k / 1024}')
  echo "  idle RSS after ${IDLE_SECONDS} s: ${rss_mib} MiB (VmRSS of $comm, container pid 1, host pid $pid:" \
    "anon $((anon_kib / 1024)) MiB, file $((file_kib / 1024)) MiB, $threads threads)"
  stats=$(timeout 30 podman stats --no-stream --format '{{.MemUsage}}' "$server" 2> /dev/null || true)
  [ -z "$stats" ] || echo "  podman stats --no-stream (cgroup memory, page cache included): $stats"
  if [ "$rss_kib" -le $((IDLE_RSS_LIMIT_MIB * 1024)) ]; then
    ok "idle RSS ${rss_mib} MiB (limit ${IDLE_RSS_LIMIT_MIB} MiB)"
  else
    bad "idle RSS ${rss_mib} MiB over ${IDLE_RSS_LIMIT_MIB} MiB"
  fi
else
  bad "no running server to measure"
fi

echo "== run: a client in the same container against that server (127.0.0.1)"
if timeout 120 podman exec "$server" netbench client --tcp-lat --http -t 0.5 --warmup 0.1 --json 127.0.0.1 \
  > "$tmp/exec.json" 2> "$tmp/exec.err" \
  && python3 -c '
import json, sys
r = {x["test"]: x for x in json.load(open(sys.argv[1]))["results"]}
assert r["tcp_lat"]["latency_us"] > 0 and r["http"]["requests_per_second"] > 0, r
print("  tcp_lat latency_us=%.4g, http requests_per_second=%.4g" % (r["tcp_lat"]["latency_us"], r["http"]["requests_per_second"]))
' "$tmp/exec.json"; then
  ok "server answered tcp_lat and http"
else
  bad "client against the container's server"
  sed 's/^/  stderr: /' "$tmp/exec.err" | tail -20
fi
podman rm -f -t 2 "$server" > /dev/null 2>&1 || true

echo "== image size"
# what a user pulls: the image's size as podman counts it (uncompressed layers); the runtime stage is FROM scratch
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
size_mb=$(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1e6}')
echo "  layers: $(podman history --format '{{.Size}} {{.CreatedBy}}' "$IMAGE" | awk '$1 != "0B"' | cut -c1-100 | paste -sd';' -)"
if [ "$size" -le $((IMAGE_SIZE_LIMIT_MB * 1000000)) ]; then
  ok "image ${size_mb} MB (limit ${IMAGE_SIZE_LIMIT_MB} MB)"
else
  bad "image ${size_mb} MB over ${IMAGE_SIZE_LIMIT_MB} MB"
fi

summary
[ "$failed" = 0 ]
