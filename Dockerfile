# netbench: one image for every node, `netbench server` by default.
#
#   docker build -t netbench .                       # builds the jar with Maven, trims a JRE with jlink
#   docker run -d --name netbench -p 7575:7575 -p 7580:7580 netbench
#   docker run --rm netbench client 10.0.0.7         # or any other netbench command line
#
# Without network inside the build, hand it a jar built beforehand (./mvnw -B -DskipTests package -pl cli -am):
#
#   docker build --build-arg PREBUILT_JAR=cli/target/netbench.jar -t netbench .
#
# JVM options: JAVA_OPTS holds the image's defaults (set -e JAVA_OPTS=... to replace them),
# NETBENCH_JAVA_OPTS is added after them (to add or override one, e.g. -XX:MaxRAMPercentage=70).

# Empty: the jar comes from the Maven stage. A path in the build context: that jar is used as it is.
ARG PREBUILT_JAR=""

# ---- build: the shaded jar, from source -----------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The poms first: building them alone (modules without sources) fetches every dependency and plugin that
# `package` needs, in a layer that is reused until a pom changes. jmh/ is listed because the parent names it;
# .mvn/ for any maven.config or jvm.config there.
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY engine/pom.xml engine/
COPY cli/pom.xml cli/
COPY jmh/pom.xml jmh/
RUN mvn -B -q -DskipTests package -pl cli -am && rm -rf engine/target cli/target
COPY engine/src engine/src
COPY cli/src cli/src
RUN mvn -B -DskipTests package -pl cli -am

# ---- build-prebuilt: the jar from the build context (--build-arg PREBUILT_JAR=...) -------------------------
FROM scratch AS build-prebuilt
ARG PREBUILT_JAR
COPY ${PREBUILT_JAR} /build/cli/target/netbench.jar

# ---- jar: whichever of the two the build-arg picks (BuildKit and podman build only the stage picked) ------
FROM build${PREBUILT_JAR:+-prebuilt} AS jar

# ---- jre: a JRE of only the modules the jar uses, the app, and its launcher ------------------------------
FROM eclipse-temurin:17-jdk AS jre
# JLINK_MODULES empty: the modules jdeps finds in the jar, plus JLINK_EXTRA_MODULES (Netty reaches
# jdk.unsupported by reflection). A list replaces jdeps' answer, e.g. java.base,java.logging,jdk.unsupported
# (all a run needs: about 5 MB smaller, but Netty's optional DNS, JFR and SCTP code then has no module).
ARG JLINK_MODULES=""
ARG JLINK_EXTRA_MODULES="jdk.unsupported"
COPY --from=jar /build/cli/target/netbench.jar /opt/netbench/netbench.jar
# --strip-debug needs objcopy (binutils, which the temurin JDK images carry); without it only the Java debug
# attributes are stripped. --generate-cds-archive: the JDK's class-data-sharing archive for this JRE (about
# 0.1 s off every start); the one for heaps over 32 GB (no compressed oops) is dropped.
# Netty's epoll library is unpacked into /opt/netbench/lib, on java.library.path: Netty loads it from there
# first, so the container needs no writable, exec-allowed /tmp (read-only root file system). So is JNA's
# libjnidispatch (the socket options Netty lacks: TCP_MAXSEG, TCP_CONGESTION, the full TCP_INFO), which JNA loads
# from jna.boot.library.path.
RUN set -eu; \
    modules="${JLINK_MODULES}"; \
    if [ -z "$modules" ]; then \
      modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 /opt/netbench/netbench.jar)"; \
    fi; \
    modules="$(echo "${modules},${JLINK_EXTRA_MODULES}" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)"; \
    strip=--strip-java-debug-attributes; \
    if command -v objcopy > /dev/null; then strip=--strip-debug; fi; \
    echo "jlink modules: ${modules} (${strip})"; \
    jlink --add-modules "${modules}" "${strip}" --no-man-pages --no-header-files --compress=2 \
          --generate-cds-archive --output /opt/java; \
    rm -f /opt/java/lib/server/classes_nocoops.jsa; \
    mkdir -p /tmp/unpack /opt/netbench/lib /opt/netbench/bin; \
    cd /tmp/unpack; \
    jar xf /opt/netbench/netbench.jar META-INF/native com/sun/jna; \
    cp META-INF/native/libnetty_transport_native_epoll_*.so /opt/netbench/lib/; \
    case "$(uname -m)" in x86_64) jna=linux-x86-64 ;; aarch64) jna=linux-aarch64 ;; *) jna=none ;; esac; \
    cp "com/sun/jna/${jna}/libjnidispatch.so" /opt/netbench/lib/; \
    cd /; rm -rf /tmp/unpack; \
    printf '%s\n' \
      '#!/bin/sh' \
      '# netbench in the container: JAVA_OPTS holds the image defaults, NETBENCH_JAVA_OPTS is added after them.' \
      'exec /opt/java/bin/java $JAVA_OPTS ${NETBENCH_JAVA_OPTS:-} -Djava.library.path=/opt/netbench/lib -Djna.boot.library.path=/opt/netbench/lib -Djna.nounpack=true -jar /opt/netbench/netbench.jar "$@"' \
      > /opt/netbench/bin/netbench; \
    chmod 0755 /opt/netbench/bin/netbench; \
    JAVA_OPTS= /opt/netbench/bin/netbench --version
# The runtime's whole root file system, in /rootfs: the JRE and netbench, the files of the OS they load (the C
# library and the rest of what ldd finds, with a loader cache made by ldconfig), a POSIX shell for the launcher,
# and the user. No package manager, no coreutils: a debian:bookworm-slim under it would add ~75 MB to the ~60 of
# this. glibc's "files" and "dns" name lookups are inside libc.so.6 (glibc 2.34 and later), as every base here has.
RUN set -eu; \
    r=/rootfs; \
    mkdir -p "$r/bin" "$r/etc" "$r/opt" "$r/tmp"; \
    chmod 1777 "$r/tmp"; \
    cp -a /opt/java /opt/netbench "$r/opt/"; \
    cp -L "$(command -v sh)" "$r/bin/sh"; \
    for f in "$r/bin/sh" $(find "$r/opt" -type f \( -name '*.so' -o -perm -u+x \)); do ldd "$f" 2> /dev/null || true; done \
      | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$r/" | sort -u \
      | while read -r lib; do cp --parents -L "$lib" "$r/"; done; \
    find "$r" -type d -name '*-linux-gnu' | sed "s|^$r||" > "$r/etc/ld.so.conf"; \
    ldconfig -r "$r"; \
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'netbench:x:10001:10001:netbench:/nonexistent:/bin/false' > "$r/etc/passwd"; \
    printf '%s\n' 'root:x:0:' 'netbench:x:10001:' > "$r/etc/group"; \
    printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' > "$r/etc/nsswitch.conf"

# ---- runtime: nothing but /rootfs ----------------------------------------------------------------------------
FROM scratch
# Defaults for a small idle footprint (idle `netbench server` RSS, measured as .ci/container-test.sh does: 60-75
# MiB with these, 79-93 with the JVM's own defaults; self-test throughput and latency the same within noise):
#   MALLOC_ARENA_MAX=2    at most 2 glibc malloc arenas: without it, the arenas of the JIT compiler threads leave
#                         ~10 MiB more resident in about half the starts
#   UseSerialGC           the smallest collector: no G1 remembered sets or GC threads; Netty's buffers are off-heap
#                         and the heap stays small, so its pauses stay short (well under 1 ms when warm)
#   Xms8m                 start with a small heap (the default is 1/64 of the machine's memory); it grows under load
#   MaxRAMPercentage=40   heap ceiling from the container's memory limit; Netty's direct memory is capped at the
#                         same size, so heap + direct memory + ~40 MiB of JVM stay within a limit of 256 MiB or more
#   Xss512k               thread stacks (event loops: one per CPU)
#   -UsePerfData          no /tmp/hsperfdata file: runs on a read-only root file system without a tmpfs
#   ExitOnOutOfMemoryError  exit, so the orchestrator restarts it, rather than run on broken
# No -XX:TieredStopAtLevel: C1-only code would cost latency.
ENV JAVA_HOME=/opt/java \
    PATH=/opt/netbench/bin:/opt/java/bin:/bin \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="-XX:+UseSerialGC -Xms8m -XX:MaxRAMPercentage=40 -Xss512k -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
COPY --from=jre /rootfs/ /
LABEL org.opencontainers.image.title="netbench" \
      org.opencontainers.image.description="Network measurement for Kubernetes: TCP bandwidth, TCP latency, HTTP load"
# numeric, so Kubernetes' runAsNonRoot can check it
USER 10001:10001
# 7575/tcp: the tests; 7575/udp: reserved for UDP tests on the same port; 7580/tcp: the HTTP target (GET /, /bytes/N, /healthz)
EXPOSE 7575/tcp 7575/udp 7580/tcp
ENTRYPOINT ["netbench"]
CMD ["server"]
