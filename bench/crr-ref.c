/*
 * The reference for tcp_crr where netperf is not packaged (Debian has it in non-free only): netperf's TCP_CRR as
 * plain blocking C, the transaction netbench's tcp_crr makes, byte for byte on the wire.
 *
 *   crr-ref server PORT THREADS MSG      THREADS threads each accept(2) a connection, read 11 + MSG bytes, write
 *                                        MSG bytes, close(2) first (TIME_WAIT on the server, as netbench's agent)
 *   crr-ref client HOST PORT MSG P SECS  P threads each loop: socket, connect, write 11 + MSG bytes (netbench's
 *                                        preamble and TXN header, then the request), read MSG bytes and the EOF,
 *                                        close; prints "transactions_per_second N" over SECS seconds. Its
 *                                        request is a netbench transaction's, so it runs against an agent too.
 *
 * Build: cc -O2 -pthread -o crr-ref crr-ref.c
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER 11 /* netbench's 6-byte preamble and 5-byte TXN header */

static int listener;
static struct sockaddr_in target;
static int msg;
static atomic_long done;
static atomic_int stop;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int read_full(int fd, char *buf, int len) {
    for (int got = 0; got < len;) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0) return -1;
        got += n;
    }
    return 0;
}

static int write_full(int fd, const char *buf, int len) {
    for (int put = 0; put < len;) {
        ssize_t n = write(fd, buf + put, len - put);
        if (n <= 0) return -1;
        put += n;
    }
    return 0;
}

static void *serve(void *arg) {
    char *buf = calloc(1, HEADER + msg);
    (void) arg;
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (read_full(fd, buf, HEADER + msg) == 0) write_full(fd, buf, msg);
        close(fd);
    }
    return NULL;
}

static void *loop(void *arg) {
    /* netbench's request exactly: preamble (magic 0x894E4250, version 2), TXN header (type 9, u32 length), zeros;
       so this client can also drive a netbench agent, which splits a gap between the two ends */
    unsigned char *req = calloc(1, HEADER + msg);
    char *resp = calloc(1, msg + 1);
    memcpy(req, "\x89NBP\x00\x02\x09", 7);
    req[7] = msg >> 24; req[8] = msg >> 16; req[9] = msg >> 8; req[10] = msg;
    (void) arg;
    while (!atomic_load(&stop)) {
        int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, (struct sockaddr *) &target, sizeof target) == 0
                && write_full(fd, (char *) req, HEADER + msg) == 0 && read_full(fd, resp, msg) == 0
                && read(fd, resp, 1) == 0) {
            atomic_fetch_add(&done, 1);
        }
        close(fd);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "server") == 0) {
        msg = atoi(argv[4]);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_ANY)};
        int one = 1, threads = atoi(argv[3]);
        listener = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(listener, (struct sockaddr *) &a, sizeof a) || listen(listener, 1024)) { perror("listen"); return 1; }
        pthread_t t;
        for (int i = 1; i < threads; i++) pthread_create(&t, NULL, serve, NULL);
        serve(NULL);
    }
    if (argc == 7 && strcmp(argv[1], "client") == 0) {
        target.sin_family = AF_INET;
        target.sin_port = htons(atoi(argv[3]));
        inet_pton(AF_INET, argv[2], &target.sin_addr);
        msg = atoi(argv[4]);
        int p = atoi(argv[5]);
        double secs = atof(argv[6]);
        pthread_t t[1024];
        double start = now();
        for (int i = 0; i < p && i < 1024; i++) pthread_create(&t[i], NULL, loop, NULL);
        struct timespec d = {(time_t) secs, (long) ((secs - (time_t) secs) * 1e9)};
        nanosleep(&d, NULL);
        long n = atomic_load(&done);
        double elapsed = now() - start;
        atomic_store(&stop, 1);
        for (int i = 0; i < p && i < 1024; i++) pthread_join(t[i], NULL);
        printf("transactions_per_second %.1f\n", n / elapsed);
        return 0;
    }
    fprintf(stderr, "usage: crr-ref server PORT THREADS MSG | crr-ref client HOST PORT MSG P SECS\n");
    return 2;
}
