/*
 * tally-shim: the per-container (and per-exec-session) monitor of tallyd.
 *
 * One process per container: it runs `runc create` / `runc start` (or `runc exec`),
 * stays the parent of the container process (PR_SET_CHILD_SUBREAPER), owns its
 * stdio (pipes or the pty master), writes the CRI-format log, serves attachers on
 * a unix control socket and records the exit status in exit.json. It never
 * depends on tallyd being up. The contract is documented in README.md beside
 * this file; keep the two in step.
 *
 * Single-threaded, poll(2) based, static buffers; the only heap use is the
 * bounded per-attacher output queue of attachers that cannot keep up.
 *
 * This file: the launcher, the daemon's start-up and its event loop. The parts it drives:
 * args.c (command line), runc.c (runc and the process's stdio), log.c (CRI log),
 * attach.c (attachers, stdin), control.c (control socket commands), oom.c, exit.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "args.h"
#include "attach.h"
#include "control.h"
#include "exit.h"
#include "log.h"
#include "oom.h"
#include "runc.h"
#include "shim.h"
#include "util.h"

#define GRACE_MS          2000    /* after exit.json: keep answering at least this long */
#define GRACE_MAX_MS      10000   /* ... and at most this long, even with slow attachers */

/* Zeroed, so its buffers stay in .bss; shim_init gives the fields that start at -1 their value. */
struct shim shim;

static void shim_init(void)
{
    shim.state = ST_CREATED;
    shim.shim_log_fd = shim.devnull = shim.sig_fd = shim.listen_fd = shim.ready_fd = -1;
    shim.out_fd = shim.err_fd = shim.stdin_fd = shim.pty_fd = -1;
    shim.pending_rows = shim.pending_cols = -1;
    shim.oom_before = -1;
}

/* --------------------------------------------------------------- main loop */

enum { K_SIG, K_LISTEN, K_OUT, K_ERR, K_STDIN, K_CONN };

static void on_signal(void)
{
    struct signalfd_siginfo si;
    while (read(shim.sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        int sig = (int)si.ssi_signo;
        if (sig == SIGCHLD) {
            exit_reap();
        } else if (sig == SIGTERM || sig == SIGINT) {
            if ((shim.state == ST_CREATED || shim.state == ST_RUNNING) && shim.main_pid > 0) {
                slog("got signal %d: forwarding to %d", sig, (int)shim.main_pid);
                kill(shim.main_pid, sig);
            } else if (shim.state == ST_CREATED) {
                slog("got signal %d before the exec was started: exiting", sig);
                shim.quit_now = 1;
            }
        }
    }
    exit_reap();
}

static void on_output(int *fd, int stream)
{
    ssize_t n = read(*fd, shim.rbuf, sizeof shim.rbuf);
    if (n > 0) {
        log_chunk(stream, shim.rbuf, (size_t)n);
        attach_broadcast(stream, shim.rbuf, (size_t)n);
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    /* EOF; EIO on a pty master whose slave side is closed everywhere */
    if (*fd == shim.pty_fd) {
        if (shim.stdin_fd == shim.pty_fd)
            shim.stdin_fd = -1;
        shim.pty_fd = -1;
    }
    xclose(fd);
}

static int should_quit(int64_t now)
{
    int attached = 0;
    if (shim.quit_now)
        return 1;
    if (shim.state != ST_DONE && shim.state != ST_FAILED)
        return 0;
    for (int i = 0; i < MAX_CONNS; i++)
        if (shim.conns[i].st == C_ATTACH)
            attached = 1;
    return (now >= shim.done_at + GRACE_MS && !attached) || now >= shim.done_at + GRACE_MAX_MS;
}

static void loop(void)
{
    struct pollfd pfd[8 + MAX_CONNS];
    int kind[8 + MAX_CONNS];

    for (;;) {
        int64_t now = mono_ms(), next = now + 60000;
        int n = 0, timeout;

        if (shim.state == ST_DRAINING && ((shim.out_fd < 0 && shim.err_fd < 0) || now >= shim.drain_deadline))
            exit_finish();
        if (should_quit(now))
            break;

        pfd[n] = (struct pollfd){ .fd = shim.sig_fd, .events = POLLIN };
        kind[n++] = K_SIG;
        pfd[n] = (struct pollfd){ .fd = shim.listen_fd, .events = POLLIN };
        kind[n++] = K_LISTEN;
        if (shim.out_fd >= 0) {
            pfd[n] = (struct pollfd){ .fd = shim.out_fd, .events = POLLIN };
            kind[n++] = K_OUT;
        }
        if (shim.err_fd >= 0) {
            pfd[n] = (struct pollfd){ .fd = shim.err_fd, .events = POLLIN };
            kind[n++] = K_ERR;
        }
        if (shim.stdin_fd >= 0 && shim.stdin_len > shim.stdin_off) {
            pfd[n] = (struct pollfd){ .fd = shim.stdin_fd, .events = POLLOUT };
            kind[n++] = K_STDIN;
        }
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &shim.conns[i];
            short ev = 0;
            if (c->st == C_FREE)
                continue;
            if (c->st == C_CMD) {
                if (now >= c->deadline) {
                    conn_reply_close(c, "ERR timeout\n");
                    continue;
                }
                if (c->deadline < next)
                    next = c->deadline;
                ev = POLLIN;
            } else {
                if (c->qhead)
                    ev |= POLLOUT;
                if (conn_wants_read(c))
                    ev |= POLLIN;
                else if (c->hup)
                    continue; /* would report POLLHUP forever; come back when stdin drained */
            }
            pfd[n] = (struct pollfd){ .fd = c->fd, .events = ev };
            kind[n++] = K_CONN + i;
        }
        if (shim.state == ST_DRAINING && shim.drain_deadline < next)
            next = shim.drain_deadline;
        if (shim.state == ST_DONE || shim.state == ST_FAILED) {
            int64_t q = shim.done_at + GRACE_MS;
            if (q <= now)
                q = now + 100; /* waiting for attachers to drain: re-check soon */
            if (q < next)
                next = q;
        }
        timeout = next > now ? (int)(next - now) : 0;

        if (poll(pfd, (nfds_t)n, timeout) < 0) {
            if (errno == EINTR)
                continue;
            slog("poll: %s", strerror(errno));
            sleep(1);
            continue;
        }
        for (int i = 0; i < n; i++) {
            short rev = pfd[i].revents;
            if (!rev || kind[i] == K_LISTEN)
                continue;
            switch (kind[i]) {
            case K_SIG:
                on_signal();
                break;
            case K_OUT:
                if (shim.out_fd == pfd[i].fd)
                    on_output(&shim.out_fd, 1);
                break;
            case K_ERR:
                if (shim.err_fd == pfd[i].fd)
                    on_output(&shim.err_fd, 2);
                break;
            case K_STDIN:
                if (shim.stdin_fd == pfd[i].fd)
                    stdin_flush();
                break;
            default: {
                struct conn *c = &shim.conns[kind[i] - K_CONN];
                if (c->st != C_FREE && c->fd == pfd[i].fd)
                    conn_event(c, rev);
            }
            }
        }
        /* accept last, so no fd number closed above is reused by a new connection this turn */
        if (pfd[1].revents & POLLIN)
            control_accept();
        log_flush();
    }
}
/* -------------------------------------------------------------- startup */

static void ready(int code, const char *msg)
{
    char buf[ERRTEXT_MAX + 32];
    int n;
    if (shim.ready_fd < 0)
        return;
    if (code == 0)
        n = snprintf(buf, sizeof buf, "OK\n");
    else
        n = snprintf(buf, sizeof buf, "E%d %s", code, msg);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    write_all(shim.ready_fd, buf, (size_t)n);
    xclose(&shim.ready_fd);
}

static void setup_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void setup_fail(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    slog("startup failed: %s", buf);
    if (shim.listen_fd >= 0)
        unlink("shim.sock");
    ready(EXIT_SETUP, buf);
    _exit(1);
}

/* Close every fd inherited from whoever started us, except the readiness pipe (>= 3). */
static void close_inherited(int keep)
{
    long max;
#ifdef __NR_close_range
    int ok = 1;
    if (keep > 3)
        ok = syscall(__NR_close_range, 3U, (unsigned)keep - 1, 0U) == 0;
    if (ok && syscall(__NR_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
        return;
#endif
    max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < max; fd++)
        if (fd != keep)
            close(fd);
}

static int control_listen(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    mode_t old;
    int fd, probe;
    strcpy(sa.sun_path, "shim.sock");
    /* a shim still answering on this state dir? */
    probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
        int live = connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0;
        close(probe);
        if (live)
            setup_fail("another shim is already serving %s/shim.sock", opt.state_dir);
    }
    unlink("shim.sock");
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    old = umask(0177);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        umask(old);
        close(fd);
        return -1;
    }
    umask(old);
    chmod("shim.sock", 0600);
    if (listen(fd, 64) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void daemon_main(void)
{
    sigset_t mask;
    char buf[64];
    int n;

    setsid();
    close_inherited(shim.ready_fd);
    shim.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (shim.devnull < 0)
        setup_fail("/dev/null: %s", strerror(errno));
    dup2(shim.devnull, 0);
    dup2(shim.devnull, 1);
    dup2(shim.devnull, 2);
    if (shim.devnull < 3) { /* fds 0..2 were closed when we started: keep a copy above them */
        int d = fcntl(shim.devnull, F_DUPFD_CLOEXEC, 3);
        shim.devnull = d;
    }
    umask(022);
    if (chdir(opt.state_dir) < 0)
        setup_fail("chdir %s: %s", opt.state_dir, strerror(errno));
    shim.shim_log_fd = open("shim.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    slog("starting (%s mode%s%s), runc %s", opt.exec_mode ? "exec" : "container", opt.tty ? ", tty" : "",
         opt.want_stdin ? ", stdin" : "", opt.runc_path);

    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        setup_fail("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    shim.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (shim.sig_fd < 0)
        setup_fail("signalfd: %s", strerror(errno));

    for (int i = 0; i < MAX_CONNS; i++)
        shim.conns[i].fd = -1;

    shim.listen_fd = control_listen();
    if (shim.listen_fd < 0)
        setup_fail("control socket %s/shim.sock: %s", opt.state_dir, strerror(errno));
    unlink("exit.json");
    unlink("exit.json.tmp");
    unlink("create-error");
    unlink("console.sock");
    n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
    if (write_file_atomic("shim.pid", buf, (size_t)n) < 0)
        setup_fail("writing shim.pid: %s", strerror(errno));
    if (log_open() < 0)
        setup_fail("log file %s: %s", opt.log_path, strerror(errno));

    if (!opt.exec_mode) {
        if (runc_launch() < 0) {
            char line[ERRTEXT_MAX];
            one_line(shim.errtext, line, sizeof line);
            slog("runc create failed: %s", line);
            if (write_file_atomic("create-error", shim.errtext, shim.errlen) < 0)
                slog("writing create-error: %s", strerror(errno));
            unlink("shim.sock");
            ready(EXIT_CREATE, shim.errtext);
            _exit(1);
        }
        shim.oom_before = oom_read_kills();
        slog("created, init pid %d", (int)shim.main_pid);
    }
    ready(0, NULL);
    loop();
    slog("exiting");
    close(shim.listen_fd);
    unlink("shim.sock");
    unlink("console.sock");
    log_flush();
    _exit(0);
}

/* The launcher: forks the shim, waits until it listens (and, in container mode, until
 * `runc create` has succeeded), prints `SHIM <pid>` and exits 0. */
int main(int argc, char **argv)
{
    int rp[2];
    pid_t pid;
    static char msg[ERRTEXT_MAX + 64];
    size_t len = 0;

    shim_init();
    /* make sure 0..2 are open, so no fd we create lands there */
    int fd0;
    while ((fd0 = open("/dev/null", O_RDWR)) >= 0 && fd0 <= 2)
        ;
    if (fd0 > 2)
        close(fd0);
    args_parse(argc, argv);
    if (pipe2(rp, O_CLOEXEC) < 0) {
        dprintf(2, "tally-shim: pipe: %s\n", strerror(errno));
        return EXIT_SETUP;
    }
    pid = fork();
    if (pid < 0) {
        dprintf(2, "tally-shim: fork: %s\n", strerror(errno));
        return EXIT_SETUP;
    }
    if (pid == 0) {
        close(rp[0]);
        shim.ready_fd = rp[1];
        daemon_main();
        _exit(0);
    }
    close(rp[1]);
    for (;;) {
        ssize_t n = read(rp[0], msg + len, sizeof msg - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == sizeof msg - 1)
            break;
    }
    msg[len] = 0;
    if (len >= 2 && !strncmp(msg, "OK", 2)) {
        char line[32];
        int n = snprintf(line, sizeof line, "SHIM %d\n", (int)pid);
        if (write_all(1, line, (size_t)n) < 0)
            return EXIT_SETUP;
        return 0;
    }
    if (len >= 3 && msg[0] == 'E') {
        int code = msg[1] - '0';
        const char *text = msg + 3;
        size_t tl = strlen(text);
        dprintf(2, "tally-shim: %s%s", text, tl && text[tl - 1] == '\n' ? "" : "\n");
        return code == EXIT_CREATE ? EXIT_CREATE : EXIT_SETUP;
    }
    dprintf(2, "tally-shim: the shim died during startup (see %s/shim.log)\n", opt.state_dir);
    return EXIT_SETUP;
}
