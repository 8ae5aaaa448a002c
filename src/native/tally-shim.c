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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>


#define READ_CHUNK        32768   /* one read from the container's stdout/stderr/pty */
#define LOG_LINE_MAX      16384   /* longer lines are split into P records */
#define LOGBUF_SIZE       65536   /* log records are batched, flushed once per loop turn */
#define STDIN_BUF         16384   /* pending attacher input not yet taken by the container */
#define MAX_CONNS         64      /* control connections (commands and attachers) */
#define CMD_MAX           256     /* longest command line */
#define ATTACH_QUEUE_MAX  (1 << 20) /* per-attacher unsent output before it is dropped */
#define ERRTEXT_MAX       8192    /* captured runc error text */
#define DRAIN_MS          2000    /* after the process exited: wait this long at most for EOF */
#define GRACE_MS          2000    /* after exit.json: keep answering at least this long */
#define GRACE_MAX_MS      10000   /* ... and at most this long, even with slow attachers */
#define CMD_TIMEOUT_MS    30000   /* a connection must send its command line within this */
#define CONSOLE_WAIT_MS   5000    /* runc has exited: its console fd must be queued by now */

enum { ST_CREATED, ST_RUNNING, ST_DRAINING, ST_DONE, ST_FAILED };
enum { C_FREE, C_CMD, C_ATTACH };
enum { EXIT_BADARGS = 2, EXIT_SETUP = 1, EXIT_CREATE = 3 };

/* ---------------------------------------------------------------- options */

static struct {
    const char *id;
    int tty, want_stdin, stdin_once;
    long long log_max_size;   /* 0: no rotation */
    int log_max_files;
    const char *cgroup_path;
    int exec_mode;
} opt;

static char state_dir[PATH_MAX];
static char bundle[PATH_MAX];
static char runc_path[PATH_MAX];
static char runc_root[PATH_MAX];
static char log_path[PATH_MAX];
static char exec_json[PATH_MAX];
static char notify_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static char runc_log[PATH_MAX];
static char pid_file[PATH_MAX];
static char console_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

/* ------------------------------------------------------------------ state */

static int state = ST_CREATED;
static pid_t main_pid;            /* container init or exec process, 0 if not known yet */
static int shim_log_fd = -1, devnull = -1, sig_fd = -1, listen_fd = -1, ready_fd = -1;
static int out_fd = -1, err_fd = -1;   /* read ends: stdout pipe (or pty master), stderr pipe */
static int stdin_fd = -1;              /* write end of the stdin pipe, or the pty master */
static int pty_fd = -1;                /* the pty master (TTY mode), also out_fd */
static char stdin_buf[STDIN_BUF];
static size_t stdin_len, stdin_off;
static int stdin_close_pending;        /* close once stdin_buf is flushed */
static int stdin_closed;               /* no more input will be forwarded */
static int pending_rows = -1, pending_cols = -1;
static long long oom_before = -1;
static int exit_code, exit_signal, oom_killed;
static char exited_at[64];
static int64_t drain_deadline, done_at;
static int quit_now;
static char errtext[ERRTEXT_MAX];
static size_t errlen;

struct chunk {
    struct chunk *next;
    size_t len, off;
    char data[];
};

struct conn {
    int fd;
    int st;
    char cmd[CMD_MAX];
    size_t cmdlen;
    int64_t deadline;
    int want_in, want_out, want_err;
    int in_closed;     /* client closed its write side */
    int hup;           /* peer fully closed, but unread input is waiting for the stdin buffer */
    int closing;       /* final frame queued: close once the queue is empty */
    struct chunk *qhead, *qtail;
    size_t qbytes, qpeak;
};
static struct conn conns[MAX_CONNS];

static char rbuf[READ_CHUNK];
static char logbuf[LOGBUF_SIZE];
static size_t loglen;
static long long logsize;
static int log_fd = -1;
static int log_failed;

/* ---------------------------------------------------------------- helpers */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* RFC 3339 with nanoseconds, UTC, always 9 fraction digits: 2024-05-01T10:11:12.123456789Z */
static void now_rfc3339(char out[64])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts.tv_nsec);
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd pfd = { .fd = fd, .events = POLLOUT };
                poll(&pfd, 1, 1000);
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void slog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void slog(const char *fmt, ...)
{
    char buf[1024], ts[64];
    int n;
    va_list ap;
    if (shim_log_fd < 0)
        return;
    now_rfc3339(ts);
    n = snprintf(buf, sizeof buf, "%s tally-shim[%d] %s: ", ts, (int)getpid(), opt.id ? opt.id : "?");
    va_start(ap, fmt);
    n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    write_all(shim_log_fd, buf, (size_t)n);
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void xclose(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Write a file atomically: NAME.tmp, fsync, rename. Relative names are in the state dir (our cwd). */
static int write_file_atomic(const char *name, const char *data, size_t len)
{
    char tmp[PATH_MAX];
    int fd;
    snprintf(tmp, sizeof tmp, "%s.tmp", name);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, name) < 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Single line for ERR replies: newlines and tabs become spaces, trimmed. */
static void one_line(const char *in, char *out, size_t outsz)
{
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 1 < outsz; i++) {
        char ch = in[i];
        if (ch == '\n' || ch == '\r' || ch == '\t')
            ch = ' ';
        if (ch == ' ' && (j == 0 || out[j - 1] == ' '))
            continue;
        out[j++] = ch;
    }
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = 0;
}

/* ------------------------------------------------------------ arguments */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    dprintf(2, "tally-shim: %s\n"
               "usage: tally-shim --id ID --bundle DIR --state-dir DIR [--runc PATH] [--runc-root DIR]\n"
               "                  [--tty] [--stdin] [--stdin-once] [--log-path FILE] [--log-max-size BYTES]\n"
               "                  [--log-max-files N] [--cgroup-path DIR] [--notify-socket PATH]\n"
               "                  [--exec PROCESS_JSON]\n", buf);
    exit(EXIT_BADARGS);
}

static long long parse_num(const char *name, const char *v, long long min, long long max)
{
    char *end;
    long long n;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        usage_error("%s: not a number in [%lld, %lld]: '%s'", name, min, max, v);
    return n;
}

static void absolute(const char *name, const char *in, char *out, size_t outsz)
{
    char cwd[PATH_MAX];
    int n;
    if (in[0] == '/') {
        n = snprintf(out, outsz, "%s", in);
    } else {
        if (!getcwd(cwd, sizeof cwd))
            usage_error("%s: cannot resolve relative path: %s", name, strerror(errno));
        n = snprintf(out, outsz, "%s/%s", cwd, in);
    }
    if (n < 0 || (size_t)n >= outsz)
        usage_error("%s: path too long", name);
}

static void find_runc(const char *name)
{
    if (strchr(name, '/')) {
        absolute("--runc", name, runc_path, sizeof runc_path);
    } else {
        const char *path = getenv("PATH");
        char dir[PATH_MAX];
        if (!path || !*path)
            path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        runc_path[0] = 0;
        while (*path) {
            const char *colon = strchr(path, ':');
            size_t len = colon ? (size_t)(colon - path) : strlen(path);
            if (len > 0 && len < sizeof dir) {
                memcpy(dir, path, len);
                dir[len] = 0;
                if ((size_t)snprintf(runc_path, sizeof runc_path, "%s/%s", dir, name) < sizeof runc_path &&
                    access(runc_path, X_OK) == 0)
                    break;
            }
            runc_path[0] = 0;
            path += len + (colon ? 1 : 0);
        }
        if (!runc_path[0])
            usage_error("--runc: '%s' not found in PATH", name);
    }
    if (access(runc_path, X_OK) != 0)
        usage_error("--runc: %s is not executable: %s", runc_path, strerror(errno));
}

static void parse_args(int argc, char **argv)
{
    const char *a_bundle = NULL, *a_state = NULL, *a_runc = "runc", *a_root = NULL, *a_log = NULL,
               *a_exec = NULL, *a_notify = NULL;
    struct stat st;

    opt.log_max_files = 1;
    for (int i = 1; i < argc; i++) {
        char name[64];
        const char *a = argv[i], *val = NULL, *eq;
        if (!strcmp(a, "--tty")) { opt.tty = 1; continue; }
        if (!strcmp(a, "--stdin")) { opt.want_stdin = 1; continue; }
        if (!strcmp(a, "--stdin-once")) { opt.stdin_once = 1; continue; }
        if (strncmp(a, "--", 2) != 0)
            usage_error("unexpected argument '%s'", a);
        eq = strchr(a, '=');
        if (eq) {
            if ((size_t)(eq - a) >= sizeof name)
                usage_error("unknown option '%s'", a);
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = 0;
            val = eq + 1;
        } else {
            if (strlen(a) >= sizeof name)
                usage_error("unknown option '%s'", a);
            strcpy(name, a);
        }
#define VALUE() (val ? val : (i + 1 < argc ? argv[++i] : (usage_error("%s needs a value", name), "")))
        if (!strcmp(name, "--id")) opt.id = VALUE();
        else if (!strcmp(name, "--bundle")) a_bundle = VALUE();
        else if (!strcmp(name, "--state-dir")) a_state = VALUE();
        else if (!strcmp(name, "--runc")) a_runc = VALUE();
        else if (!strcmp(name, "--runc-root")) a_root = VALUE();
        else if (!strcmp(name, "--log-path")) a_log = VALUE();
        else if (!strcmp(name, "--log-max-size")) opt.log_max_size = parse_num(name, VALUE(), 1, LLONG_MAX / 2);
        else if (!strcmp(name, "--log-max-files")) opt.log_max_files = (int)parse_num(name, VALUE(), 1, 1000);
        else if (!strcmp(name, "--cgroup-path")) opt.cgroup_path = VALUE();
        else if (!strcmp(name, "--notify-socket")) a_notify = VALUE();
        else if (!strcmp(name, "--exec")) a_exec = VALUE();
        else usage_error("unknown option '%s'", name);
#undef VALUE
    }

    if (!opt.id || !*opt.id)
        usage_error("--id is required");
    if (strlen(opt.id) > 1024)
        usage_error("--id too long");
    for (const char *p = opt.id; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 (p != opt.id && (c == '_' || c == '-' || c == '.' || c == '+'));
        if (!ok)
            usage_error("--id: invalid container id '%s'", opt.id);
    }
    if (!a_state || !*a_state)
        usage_error("--state-dir is required");
    if (mkdir(a_state, 0700) < 0 && errno != EEXIST)
        usage_error("--state-dir: cannot create %s: %s", a_state, strerror(errno));
    if (!realpath(a_state, state_dir) || stat(state_dir, &st) < 0 || !S_ISDIR(st.st_mode))
        usage_error("--state-dir: %s is not a directory", a_state);

    opt.exec_mode = a_exec != NULL;
    if (a_exec) {
        if (!realpath(a_exec, exec_json) || stat(exec_json, &st) < 0 || !S_ISREG(st.st_mode))
            usage_error("--exec: %s is not a file", a_exec);
    }
    if (a_bundle) {
        char cfg[PATH_MAX + 16];
        if (!realpath(a_bundle, bundle) || stat(bundle, &st) < 0 || !S_ISDIR(st.st_mode))
            usage_error("--bundle: %s is not a directory", a_bundle);
        snprintf(cfg, sizeof cfg, "%s/config.json", bundle);
        if (!opt.exec_mode && access(cfg, R_OK) != 0)
            usage_error("--bundle: %s has no config.json", bundle);
    } else if (!opt.exec_mode) {
        usage_error("--bundle is required");
    }
    find_runc(a_runc);
    if (a_root) {
        if (!*a_root)
            usage_error("--runc-root: empty");
        absolute("--runc-root", a_root, runc_root, sizeof runc_root);
    }
    if (a_log && *a_log)
        absolute("--log-path", a_log, log_path, sizeof log_path);
    else if ((size_t)snprintf(log_path, sizeof log_path, "%s/container.log", state_dir) >= sizeof log_path)
        usage_error("--state-dir: path too long");
    if (strlen(log_path) + 8 >= sizeof log_path)
        usage_error("--log-path: path too long");
    if (a_notify) {
        char abs[PATH_MAX];
        absolute("--notify-socket", a_notify, abs, sizeof abs);
        if (strlen(abs) >= sizeof notify_path)
            usage_error("--notify-socket: path longer than %zu bytes", sizeof notify_path - 1);
        strcpy(notify_path, abs);
    }
    if (opt.cgroup_path && !*opt.cgroup_path)
        opt.cgroup_path = NULL;
    if (strlen(state_dir) + 32 >= PATH_MAX)
        usage_error("--state-dir: path too long");
    snprintf(runc_log, sizeof runc_log, "%s/runc.log", state_dir);
    snprintf(pid_file, sizeof pid_file, "%s/init.pid", state_dir);
}

/* ------------------------------------------------------------------ log */

static int log_open(void)
{
    struct stat st;
    log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log_fd < 0)
        return -1;
    logsize = fstat(log_fd, &st) == 0 ? (long long)st.st_size : 0;
    return 0;
}

static void log_flush(void)
{
    if (loglen == 0)
        return;
    if (log_fd >= 0 && write_all(log_fd, logbuf, loglen) < 0) {
        if (!log_failed)
            slog("writing %s failed: %s (further log errors not reported)", log_path, strerror(errno));
        log_failed = 1;
    }
    logsize += (long long)loglen;
    loglen = 0;
}

/* container.log -> container.log.1 -> ... ; log_max_files counts all files, the current one included */
static void log_rotate(void)
{
    char from[PATH_MAX + 16], to[PATH_MAX + 16];
    xclose(&log_fd);
    if (opt.log_max_files > 1) {
        snprintf(from, sizeof from, "%s.%d", log_path, opt.log_max_files - 1);
        unlink(from);
        for (int i = opt.log_max_files - 2; i >= 1; i--) {
            snprintf(from, sizeof from, "%s.%d", log_path, i);
            snprintf(to, sizeof to, "%s.%d", log_path, i + 1);
            if (rename(from, to) < 0 && errno != ENOENT)
                slog("rotate %s: %s", from, strerror(errno));
        }
        snprintf(to, sizeof to, "%s.1", log_path);
        if (rename(log_path, to) < 0)
            slog("rotate %s: %s", log_path, strerror(errno));
    } else {
        unlink(log_path);
    }
    if (log_open() < 0)
        slog("reopen %s: %s", log_path, strerror(errno));
}

static void log_record(const char *ts, const char *stream, char kind, const char *data, size_t n)
{
    size_t tslen = strlen(ts), slen = strlen(stream);
    size_t rec = tslen + 1 + slen + 3 + n + 1;
    if (loglen + rec > sizeof logbuf)
        log_flush();
    if (opt.log_max_size > 0 && logsize + (long long)(loglen + rec) > opt.log_max_size &&
        logsize + (long long)loglen > 0) {
        log_flush();
        log_rotate();
    }
    char *p = logbuf + loglen;
    memcpy(p, ts, tslen); p += tslen;
    *p++ = ' ';
    memcpy(p, stream, slen); p += slen;
    *p++ = ' ';
    *p++ = kind;
    *p++ = ' ';
    memcpy(p, data, n); p += n;
    *p++ = '\n';
    loglen += rec;
}

/* One chunk of output becomes one record per line: F for lines ended by \n (the \n is not
 * repeated), P for a trailing piece without \n and for each 16 KiB piece of a longer line. */
static void log_chunk(int stream, const char *buf, size_t n)
{
    const char *name = stream == 2 ? "stderr" : "stdout";
    const char *p = buf, *end = buf + n;
    char ts[64];
    now_rfc3339(ts);
    while (p < end) {
        size_t avail = (size_t)(end - p);
        size_t scan = avail < LOG_LINE_MAX ? avail : LOG_LINE_MAX;
        const char *nl = memchr(p, '\n', scan);
        if (nl) {
            log_record(ts, name, 'F', p, (size_t)(nl - p));
            p = nl + 1;
        } else {
            log_record(ts, name, 'P', p, scan);
            p += scan;
        }
    }
}

/* --------------------------------------------------------------- attach */

static void conn_close(struct conn *c)
{
    struct chunk *ch = c->qhead;
    int trim = c->qpeak > 65536;
    while (ch) {
        struct chunk *next = ch->next;
        free(ch);
        ch = next;
    }
    if (trim)
        malloc_trim(0); /* give a dropped slow attacher's queue back to the system */
    if (c->fd >= 0)
        close(c->fd);
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->st = C_FREE;
}

static void reply(struct conn *c, const char *msg)
{
    /* replies are tiny and the socket's buffer is empty: one non-blocking send */
    if (send(c->fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
        slog("reply failed: %s", strerror(errno));
}

static void reply_close(struct conn *c, const char *msg)
{
    reply(c, msg);
    conn_close(c);
}

/* Append bytes to a connection's queue. Returns -1 (and drops the attacher) past the bound. */
static int conn_queue(struct conn *c, const char *a, size_t alen, const char *b, size_t blen)
{
    size_t len = alen + blen;
    struct chunk *ch;
    if (len == 0)
        return 0;
    if (c->qbytes + len > ATTACH_QUEUE_MAX) {
        slog("attacher on fd %d fell %zu bytes behind: dropped", c->fd, c->qbytes + len);
        conn_close(c);
        return -1;
    }
    ch = malloc(sizeof *ch + len);
    if (!ch) {
        slog("out of memory queueing output: attacher dropped");
        conn_close(c);
        return -1;
    }
    ch->next = NULL;
    ch->len = len;
    ch->off = 0;
    if (alen)
        memcpy(ch->data, a, alen);
    if (blen)
        memcpy(ch->data + alen, b, blen);
    if (c->qtail)
        c->qtail->next = ch;
    else
        c->qhead = ch;
    c->qtail = ch;
    c->qbytes += len;
    if (c->qbytes > c->qpeak)
        c->qpeak = c->qbytes;
    return 0;
}

/* Send header+payload now if nothing is queued; queue what the socket does not take. */
static void conn_send(struct conn *c, const char *hdr, size_t hlen, const char *data, size_t dlen)
{
    size_t sent = 0;
    if (!c->qhead) {
        struct iovec iov[2] = { { (void *)hdr, hlen }, { (void *)data, dlen } };
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
        ssize_t n;
        do
            n = sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            if (errno != EAGAIN) {
                conn_close(c);
                return;
            }
            n = 0;
        }
        sent = (size_t)n;
    }
    if (sent < hlen)
        conn_queue(c, hdr + sent, hlen - sent, data, dlen);
    else if (sent - hlen < dlen)
        conn_queue(c, NULL, 0, data + (sent - hlen), dlen - (sent - hlen));
}

static void conn_flush(struct conn *c)
{
    while (c->qhead) {
        struct chunk *ch = c->qhead;
        ssize_t n = send(c->fd, ch->data + ch->off, ch->len - ch->off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            conn_close(c);
            return;
        }
        ch->off += (size_t)n;
        c->qbytes -= (size_t)n;
        if (ch->off == ch->len) {
            c->qhead = ch->next;
            if (!c->qhead)
                c->qtail = NULL;
            free(ch);
        }
    }
    if (c->qpeak > 262144) { /* caught up after falling far behind: return the memory */
        c->qpeak = 0;
        malloc_trim(0);
    }
    if (c->closing)
        conn_close(c);
}

static void frame_header(char hdr[5], int stream, size_t len)
{
    hdr[0] = (char)stream;
    hdr[1] = (char)((len >> 24) & 0xff);
    hdr[2] = (char)((len >> 16) & 0xff);
    hdr[3] = (char)((len >> 8) & 0xff);
    hdr[4] = (char)(len & 0xff);
}

static void final_text(char *out, size_t outsz)
{
    if (state == ST_FAILED) {
        char line[ERRTEXT_MAX];
        one_line(errtext, line, sizeof line);
        snprintf(out, outsz, "error %s", line);
    } else if (exit_signal) {
        snprintf(out, outsz, "signal %d", exit_signal);
    } else {
        snprintf(out, outsz, "exit %d", exit_code);
    }
}

static void conn_finish(struct conn *c)
{
    char text[ERRTEXT_MAX + 16], hdr[5];
    size_t len;
    final_text(text, sizeof text);
    len = strlen(text);
    frame_header(hdr, 3, len);
    c->closing = 1;
    conn_send(c, hdr, 5, text, len);
    if (c->st == C_ATTACH && !c->qhead)
        conn_close(c);
}

static void broadcast(int stream, const char *data, size_t len)
{
    char hdr[5];
    frame_header(hdr, stream, len);
    for (int i = 0; i < MAX_CONNS; i++) {
        struct conn *c = &conns[i];
        if (c->st != C_ATTACH || c->closing)
            continue;
        if ((stream == 1 && !c->want_out) || (stream == 2 && !c->want_err))
            continue;
        conn_send(c, hdr, 5, data, len);
    }
}

/* ---------------------------------------------------------------- stdin */

static void do_close_stdin(void)
{
    stdin_closed = 1;
    stdin_close_pending = 0;
    stdin_len = stdin_off = 0;
    if (opt.tty) {
        /* a pty has no half-close: send the EOF character (^D) once, stop forwarding */
        if (pty_fd >= 0 && opt.want_stdin) {
            char eot = 4;
            if (write(pty_fd, &eot, 1) < 0)
                slog("writing EOF to the pty: %s", strerror(errno));
        }
        stdin_fd = -1;
    } else {
        xclose(&stdin_fd);
    }
}

static void request_close_stdin(void)
{
    if (stdin_closed)
        return;
    if (stdin_fd >= 0 && stdin_len > stdin_off)
        stdin_close_pending = 1;
    else
        do_close_stdin();
}

static void stdin_flush(void)
{
    while (stdin_fd >= 0 && stdin_off < stdin_len) {
        ssize_t n = write(stdin_fd, stdin_buf + stdin_off, stdin_len - stdin_off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            slog("container stdin: %s; input discarded from now on", strerror(errno));
            do_close_stdin();
            return;
        }
        stdin_off += (size_t)n;
    }
    stdin_len = stdin_off = 0;
    if (stdin_close_pending)
        do_close_stdin();
}

static int stdin_accepting(void)
{
    return !stdin_closed && !stdin_close_pending && stdin_fd >= 0 && opt.want_stdin;
}

/* ----------------------------------------------------------------- runc */

static pid_t spawn(char **argv, int fd0, int fd1, int fd2)
{
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        /* the fds given are >= 3 (0..2 are /dev/null), so dup2 clears their CLOEXEC on 0..2 */
        if (dup2(fd0, 0) < 0 || dup2(fd1, 1) < 0 || dup2(fd2, 2) < 0)
            _exit(127);
        execv(runc_path, argv);
        dprintf(2, "tally-shim: cannot execute %s: %s\n", runc_path, strerror(errno));
        _exit(127);
    }
    if (pid < 0)
        slog("fork: %s", strerror(errno));
    return pid;
}

static int wait_for(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return st;
}

/* argv for `runc [--root R] --log STATE/runc.log --log-format json ...` */
static int runc_argv(char **argv, int max, char *const *rest)
{
    int n = 0;
    argv[n++] = runc_path;
    if (runc_root[0]) {
        argv[n++] = "--root";
        argv[n++] = runc_root;
    }
    argv[n++] = "--log";
    argv[n++] = runc_log;
    argv[n++] = "--log-format";
    argv[n++] = "json";
    for (int i = 0; rest[i] && n < max - 1; i++)
        argv[n++] = rest[i];
    argv[n] = NULL;
    return n;
}

/* Append what can be read now (non-blocking) from fd to errtext. */
static void capture(int fd)
{
    set_nonblock(fd);
    while (errlen + 1 < sizeof errtext) {
        ssize_t n = read(fd, errtext + errlen, sizeof errtext - 1 - errlen);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        errlen += (size_t)n;
    }
    errtext[errlen] = 0;
}

static void describe_status(int st, const char *what)
{
    if (errlen == 0) {
        if (st == -1)
            errlen = (size_t)snprintf(errtext, sizeof errtext, "%s could not be run", what);
        else if (WIFEXITED(st))
            errlen = (size_t)snprintf(errtext, sizeof errtext, "%s exited with status %d", what, WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            errlen = (size_t)snprintf(errtext, sizeof errtext, "%s killed by signal %d", what, WTERMSIG(st));
        else
            errlen = (size_t)snprintf(errtext, sizeof errtext, "%s failed", what);
    }
}

/* Run runc with its output to shim.log; returns the wait status. */
static int runc_quiet(char *const *rest)
{
    char *argv[32];
    int fd = shim_log_fd >= 0 ? shim_log_fd : devnull;
    runc_argv(argv, 32, rest);
    pid_t pid = spawn(argv, devnull, fd, fd);
    return pid < 0 ? -1 : wait_for(pid);
}

static int read_pid_file(void)
{
    char buf[32];
    int fd = open(pid_file, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    return atoi(buf);
}

/* The socket runc sends the pty master to. Its path is relative to our cwd (the state dir)
 * when bound; runc gets an absolute path, through /proc/PID/cwd when the real one is too long. */
static int console_listen(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;
    size_t need = strlen(state_dir) + strlen("/console.sock");
    if (need < sizeof console_path)
        snprintf(console_path, sizeof console_path, "%s/console.sock", state_dir);
    else
        snprintf(console_path, sizeof console_path, "/proc/%d/cwd/console.sock", (int)getpid());
    unlink("console.sock");
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    strcpy(sa.sun_path, "console.sock");
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4) < 0) {
        close(fd);
        return -1;
    }
    chmod("console.sock", 0600);
    return fd;
}

static void apply_winsize(void)
{
    if (pty_fd >= 0 && pending_rows >= 0) {
        struct winsize ws = { .ws_row = (unsigned short)pending_rows, .ws_col = (unsigned short)pending_cols };
        if (ioctl(pty_fd, TIOCSWINSZ, &ws) < 0)
            slog("TIOCSWINSZ: %s", strerror(errno));
    }
}

/* runc has exited successfully: take the pty master it sent. */
static int console_receive(int lfd)
{
    struct pollfd pfd = { .fd = lfd, .events = POLLIN };
    int cfd = -1, master = -1;
    char name[4096];
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { name, sizeof name };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    ssize_t n;

    if (poll(&pfd, 1, CONSOLE_WAIT_MS) <= 0)
        goto fail;
    cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (cfd < 0)
        goto fail;
    do
        n = recvmsg(cfd, &mh, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        goto fail;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
            memcpy(&master, CMSG_DATA(cm), sizeof(int));
            break;
        }
    }
fail:
    if (cfd >= 0)
        close(cfd);
    close(lfd);
    unlink("console.sock");
    if (master < 0) {
        errlen = (size_t)snprintf(errtext, sizeof errtext, "runc did not send the console (pty master)");
        return -1;
    }
    set_nonblock(master);
    pty_fd = out_fd = master;
    if (opt.want_stdin)
        stdin_fd = master;
    apply_winsize();
    return 0;
}

/* Create the stdio for the process. fds[0..2] are what runc gets; the shim keeps the other ends. */
static int make_stdio(int fds[3], int *capture_w, int *capture_r)
{
    int p[2];
    fds[0] = fds[1] = fds[2] = devnull;
    *capture_w = *capture_r = -1;
    if (opt.tty) {
        /* the container gets the pty slave; runc's own output is only its error text */
        if (pipe2(p, O_CLOEXEC) < 0)
            return -1;
        *capture_r = p[0];
        *capture_w = p[1];
        fds[1] = fds[2] = p[1];
        return 0;
    }
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    out_fd = p[0];
    fds[1] = p[1];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    err_fd = p[0];
    fds[2] = p[1];
    *capture_r = err_fd; /* runc's stderr is the container's: nothing else writes there before start */
    if (opt.want_stdin) {
        if (pipe2(p, O_CLOEXEC) < 0)
            return -1;
        fds[0] = p[0];
        stdin_fd = p[1];
        set_nonblock(stdin_fd);
    }
    set_nonblock(out_fd);
    set_nonblock(err_fd);
    return 0;
}

static void close_child_ends(int fds[3], int *capture_w)
{
    for (int i = 0; i < 3; i++) {
        if (fds[i] != devnull && fds[i] >= 0) {
            int fd = fds[i];
            for (int j = i; j < 3; j++)
                if (fds[j] == fd)
                    fds[j] = -1;
            close(fd);
        }
    }
    *capture_w = -1;
}

static void close_process_stdio(void)
{
    if (stdin_fd >= 0 && stdin_fd == pty_fd)
        stdin_fd = -1;
    if (out_fd >= 0 && out_fd == pty_fd)
        pty_fd = -1;
    xclose(&pty_fd);
    xclose(&out_fd);
    xclose(&err_fd);
    xclose(&stdin_fd);
    stdin_len = stdin_off = 0;
}

/* `runc create` (container mode) or `runc exec --detach` (exec mode, at START).
 * Returns 0, or -1 with errtext set. */
static int runc_launch(void)
{
    int fds[3], capture_w, capture_r, lfd = -1, st;
    char *rest[16], *argv[32];
    int n = 0;
    pid_t pid;

    errlen = 0;
    errtext[0] = 0;
    unlink(pid_file);
    if (make_stdio(fds, &capture_w, &capture_r) < 0) {
        errlen = (size_t)snprintf(errtext, sizeof errtext, "pipe: %s", strerror(errno));
        return -1;
    }
    if (opt.tty && (lfd = console_listen()) < 0) {
        errlen = (size_t)snprintf(errtext, sizeof errtext, "console socket: %s", strerror(errno));
        close_child_ends(fds, &capture_w);
        xclose(&capture_r);
        return -1;
    }
    if (opt.exec_mode) {
        rest[n++] = "exec";
        rest[n++] = "--process";
        rest[n++] = exec_json;
        rest[n++] = "--detach";
    } else {
        rest[n++] = "create";
        rest[n++] = "--bundle";
        rest[n++] = bundle;
    }
    rest[n++] = "--pid-file";
    rest[n++] = pid_file;
    if (opt.tty) {
        rest[n++] = "--console-socket";
        rest[n++] = console_path;
    }
    rest[n++] = (char *)opt.id;
    rest[n] = NULL;
    runc_argv(argv, 32, rest);

    pid = spawn(argv, fds[0], fds[1], fds[2]);
    close_child_ends(fds, &capture_w);
    st = pid < 0 ? -1 : wait_for(pid);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        capture(capture_r);
        if (capture_r != err_fd)
            close(capture_r);
        describe_status(st, opt.exec_mode ? "runc exec" : "runc create");
        if (lfd >= 0) {
            close(lfd);
            unlink("console.sock");
        }
        close_process_stdio();
        return -1;
    }
    /* success: anything runc create printed (warnings) goes to shim.log, not to the container's
     * log. Not for exec: that process is running already and its stderr is the same pipe. */
    if (!(opt.exec_mode && capture_r == err_fd))
        capture(capture_r);
    if (errlen)
        slog("runc said: %s", errtext);
    errlen = 0;
    errtext[0] = 0;
    if (capture_r != err_fd)
        close(capture_r);
    main_pid = read_pid_file();
    if (main_pid <= 0) {
        errlen = (size_t)snprintf(errtext, sizeof errtext, "runc left no usable pid file %s", pid_file);
        if (lfd >= 0) {
            close(lfd);
            unlink("console.sock");
        }
        close_process_stdio();
        return -1;
    }
    if (opt.tty && console_receive(lfd) < 0) {
        close_process_stdio();
        return -1;
    }
    return 0;
}

static int runc_start(void)
{
    int p[2], st;
    pid_t pid;
    char *argv[32];
    char *rest[] = { "start", (char *)opt.id, NULL };
    errlen = 0;
    errtext[0] = 0;
    if (pipe2(p, O_CLOEXEC) < 0) {
        errlen = (size_t)snprintf(errtext, sizeof errtext, "pipe: %s", strerror(errno));
        return -1;
    }
    runc_argv(argv, 32, rest);
    pid = spawn(argv, devnull, p[1], p[1]);
    close(p[1]);
    st = pid < 0 ? -1 : wait_for(pid);
    capture(p[0]);
    close(p[0]);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        describe_status(st, "runc start");
        return -1;
    }
    if (errlen)
        slog("runc start said: %s", errtext);
    errlen = 0;
    errtext[0] = 0;
    return 0;
}

static void runc_delete(void)
{
    char *rest[] = { "delete", (char *)opt.id, NULL };
    char *force[] = { "delete", "--force", (char *)opt.id, NULL };
    int st = runc_quiet(rest);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        slog("runc delete failed, retrying with --force");
        runc_quiet(force);
    }
}

/* ------------------------------------------------------------------ oom */

static long long read_counter(const char *file, const char *key)
{
    char buf[4096];
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    size_t klen = strlen(key);
    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    for (char *line = buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (!strncmp(line, key, klen) && line[klen] == ' ')
            return strtoll(line + klen + 1, NULL, 10);
        line = next;
    }
    return -1;
}

/* --cgroup-path: the cgroup's directory (v2: memory.events; v1: the memory controller's
 * directory, memory.oom_control), or a cgroupsPath as in config.json, looked up under
 * /sys/fs/cgroup (v2) and /sys/fs/cgroup/memory (v1). -1: unknown. */
static long long read_oom_kills(void)
{
    char file[PATH_MAX + 64];
    const char *cg = opt.cgroup_path, *sep;
    long long v;
    if (!cg)
        return -1;
    if (cg[0] == '/') {
        snprintf(file, sizeof file, "%s/memory.events", cg);
        if ((v = read_counter(file, "oom_kill")) >= 0)
            return v;
        snprintf(file, sizeof file, "%s/memory.oom_control", cg);
        if ((v = read_counter(file, "oom_kill")) >= 0)
            return v;
    }
    sep = cg[0] == '/' ? "" : "/";
    snprintf(file, sizeof file, "/sys/fs/cgroup%s%s/memory.events", sep, cg);
    if ((v = read_counter(file, "oom_kill")) >= 0)
        return v;
    snprintf(file, sizeof file, "/sys/fs/cgroup/memory%s%s/memory.oom_control", sep, cg);
    return read_counter(file, "oom_kill");
}

/* ----------------------------------------------------------------- exit */

static void notify_exit(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct timeval tv = { 1, 0 };
    char msg[PATH_MAX + 1200];
    int fd, n;
    if (!notify_path[0])
        return;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    strcpy(sa.sun_path, notify_path);
    /* an exec session has the container's id: it says EXEC_EXIT and names its state dir */
    if (opt.exec_mode)
        n = snprintf(msg, sizeof msg, "EXEC_EXIT %s %d %s\n", opt.id, exit_code, state_dir);
    else
        n = snprintf(msg, sizeof msg, "EXIT %s %d\n", opt.id, exit_code);
    if (n >= (int)sizeof msg) {
        slog("exit notification too long");
        close(fd);
        return;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || send(fd, msg, (size_t)n, MSG_NOSIGNAL) != n)
        slog("exit notification to %s failed: %s (tallyd reads exit.json later)", notify_path, strerror(errno));
    close(fd);
}

static void finish_exit(void)
{
    char json[512];
    long long oom_after;
    int n;

    /* take whatever is still readable, then stop reading */
    for (int round = 0; round < 64 && (out_fd >= 0 || err_fd >= 0); round++) {
        int got = 0;
        int *srcs[2] = { &out_fd, &err_fd };
        for (int s = 0; s < 2; s++) {
            int *fd = srcs[s];
            if (*fd < 0)
                continue;
            ssize_t r = read(*fd, rbuf, sizeof rbuf);
            if (r > 0) {
                log_chunk(s + 1, rbuf, (size_t)r);
                broadcast(s + 1, rbuf, (size_t)r);
                got = 1;
            }
        }
        if (!got)
            break;
    }
    close_process_stdio();
    log_flush();

    oom_after = read_oom_kills();
    oom_killed = oom_after > 0 && oom_after > (oom_before > 0 ? oom_before : 0);
    if (!opt.exec_mode)
        runc_delete(); /* before anyone learns of the exit, so the id can be reused at once */

    n = snprintf(json, sizeof json,
                 "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"exitedAt\":\"%s\",\"pid\":%d}\n",
                 exit_code, exit_signal, oom_killed ? "true" : "false", exited_at, (int)main_pid);
    if (write_file_atomic("exit.json", json, (size_t)n) < 0)
        slog("writing exit.json: %s", strerror(errno));
    state = ST_DONE;
    done_at = mono_ms();
    slog("process %d exited: code %d signal %d oom %d", (int)main_pid, exit_code, exit_signal, oom_killed);
    notify_exit();
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].st == C_ATTACH)
            conn_finish(&conns[i]);
}

static void start_failed(void)
{
    char line[ERRTEXT_MAX];
    one_line(errtext, line, sizeof line);
    slog("start failed: %s", line);
    if (write_file_atomic("create-error", errtext, errlen) < 0)
        slog("writing create-error: %s", strerror(errno));
    state = ST_FAILED;
    done_at = mono_ms();
    close_process_stdio();
    if (!opt.exec_mode)
        runc_delete();
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].st == C_ATTACH)
            conn_finish(&conns[i]);
}

static void reap(void)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        if (pid != main_pid || main_pid <= 0 || (state != ST_CREATED && state != ST_RUNNING))
            continue;
        if (WIFEXITED(st)) {
            exit_code = WEXITSTATUS(st);
            exit_signal = 0;
        } else if (WIFSIGNALED(st)) {
            exit_signal = WTERMSIG(st);
            exit_code = 128 + exit_signal;
        } else {
            continue;
        }
        now_rfc3339(exited_at);
        state = ST_DRAINING;
        drain_deadline = mono_ms() + DRAIN_MS;
        stdin_closed = 1;
        stdin_len = stdin_off = 0;
        if (stdin_fd >= 0 && stdin_fd == pty_fd)
            stdin_fd = -1;
        else
            xclose(&stdin_fd);
    }
}

static void on_signal(void)
{
    struct signalfd_siginfo si;
    while (read(sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        int sig = (int)si.ssi_signo;
        if (sig == SIGCHLD) {
            reap();
        } else if (sig == SIGTERM || sig == SIGINT) {
            if ((state == ST_CREATED || state == ST_RUNNING) && main_pid > 0) {
                slog("got signal %d: forwarding to %d", sig, (int)main_pid);
                kill(main_pid, sig);
            } else if (state == ST_CREATED) {
                slog("got signal %d before the exec was started: exiting", sig);
                quit_now = 1;
            }
        }
    }
    reap();
}

/* ------------------------------------------------------------- commands */

static void cmd_start(struct conn *c)
{
    char buf[ERRTEXT_MAX + 16], line[ERRTEXT_MAX];
    if (state != ST_CREATED || (!opt.exec_mode && main_pid <= 0)) {
        reply_close(c, state == ST_CREATED ? "ERR not created\n" : "ERR already started\n");
        return;
    }
    if (opt.exec_mode) {
        oom_before = read_oom_kills();
        if (runc_launch() < 0) {
            one_line(errtext, line, sizeof line);
            snprintf(buf, sizeof buf, "ERR %s\n", line);
            reply_close(c, buf);
            start_failed();
            return;
        }
    } else if (runc_start() < 0) {
        one_line(errtext, line, sizeof line);
        snprintf(buf, sizeof buf, "ERR %s\n", line);
        reply_close(c, buf);
        start_failed();
        return;
    }
    state = ST_RUNNING;
    slog("started, pid %d", (int)main_pid);
    snprintf(buf, sizeof buf, "OK %d\n", (int)main_pid);
    reply_close(c, buf);
    reap(); /* a process that already died is handled promptly */
}

static int parse_uint(const char **p, long max, long *out)
{
    char *end;
    long v;
    while (**p == ' ')
        (*p)++;
    if (**p < '0' || **p > '9')
        return -1;
    errno = 0;
    v = strtol(*p, &end, 10);
    if (errno || v < 0 || v > max)
        return -1;
    *p = end;
    *out = v;
    return 0;
}

static void dispatch(struct conn *c, char *line)
{
    char buf[256];
    const char *p;
    long a, b, d;
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
        line[--len] = 0;

    if (!strcmp(line, "START")) {
        cmd_start(c);
    } else if (!strncmp(line, "ATTACH ", 7)) {
        p = line + 7;
        if (parse_uint(&p, 1, &a) || parse_uint(&p, 1, &b) || parse_uint(&p, 1, &d) || *p) {
            reply_close(c, "ERR usage: ATTACH <stdin 0|1> <stdout 0|1> <stderr 0|1>\n");
            return;
        }
        c->st = C_ATTACH;
        c->want_in = (int)a;
        c->want_out = (int)b;
        c->want_err = (int)d;
        c->deadline = 0;
        conn_send(c, "OK\n", 3, NULL, 0);
        if (c->st == C_ATTACH && (state == ST_DONE || state == ST_FAILED))
            conn_finish(c);
    } else if (!strncmp(line, "RESIZE ", 7)) {
        p = line + 7;
        if (parse_uint(&p, 65535, &a) || parse_uint(&p, 65535, &b) || *p) {
            reply_close(c, "ERR usage: RESIZE <rows> <cols>\n");
            return;
        }
        if (!opt.tty) {
            reply_close(c, "ERR not a tty\n");
            return;
        }
        pending_rows = (int)a;
        pending_cols = (int)b;
        if (pty_fd >= 0) {
            struct winsize ws = { .ws_row = (unsigned short)a, .ws_col = (unsigned short)b };
            if (ioctl(pty_fd, TIOCSWINSZ, &ws) < 0) {
                snprintf(buf, sizeof buf, "ERR TIOCSWINSZ: %s\n", strerror(errno));
                reply_close(c, buf);
                return;
            }
        }
        reply_close(c, "OK\n");
    } else if (!strcmp(line, "CLOSE_STDIN")) {
        request_close_stdin();
        reply_close(c, "OK\n");
    } else if (!strcmp(line, "STATUS")) {
        switch (state) {
        case ST_CREATED:
            snprintf(buf, sizeof buf, "CREATED %d\n", (int)main_pid);
            break;
        case ST_RUNNING:
        case ST_DRAINING:
            snprintf(buf, sizeof buf, "RUNNING %d\n", (int)main_pid);
            break;
        case ST_DONE:
            snprintf(buf, sizeof buf, "EXITED %d %d %d %s\n", exit_code, exit_signal, oom_killed, exited_at);
            break;
        default: {
            char l[200];
            one_line(errtext, l, sizeof l);
            snprintf(buf, sizeof buf, "FAILED %s\n", l);
        }
        }
        reply_close(c, buf);
    } else if (!strncmp(line, "KILL ", 5)) {
        p = line + 5;
        if (parse_uint(&p, 64, &a) || *p || a < 1) {
            reply_close(c, "ERR usage: KILL <signal-number>\n");
            return;
        }
        if ((state != ST_CREATED && state != ST_RUNNING) || main_pid <= 0) {
            reply_close(c, "ERR no running process\n");
            return;
        }
        if (kill(main_pid, (int)a) < 0) {
            snprintf(buf, sizeof buf, "ERR kill: %s\n", strerror(errno));
            reply_close(c, buf);
            return;
        }
        reply_close(c, "OK\n");
    } else {
        reply_close(c, "ERR unknown command\n");
    }
}

/* Read the command line: peek for the newline, then consume exactly the line, so that
 * bytes after it (an attacher's stdin) stay in the socket. */
static void conn_read_cmd(struct conn *c)
{
    char peek[CMD_MAX];
    size_t room = CMD_MAX - 1 - c->cmdlen;
    ssize_t n = recv(c->fd, peek, room, MSG_PEEK | MSG_DONTWAIT);
    char *nl;
    size_t take;
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            conn_close(c);
        return;
    }
    if (n == 0) {
        conn_close(c);
        return;
    }
    nl = memchr(peek, '\n', (size_t)n);
    take = nl ? (size_t)(nl - peek) + 1 : (size_t)n;
    n = recv(c->fd, c->cmd + c->cmdlen, take, MSG_DONTWAIT);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EINTR))
            conn_close(c);
        return;
    }
    c->cmdlen += (size_t)n;
    c->cmd[c->cmdlen] = 0;
    if (nl && (size_t)n == take) {
        c->cmd[c->cmdlen - 1] = 0;
        dispatch(c, c->cmd);
    } else if (c->cmdlen >= CMD_MAX - 1) {
        reply_close(c, "ERR command too long\n");
    }
}

/* Exec mode before START: the process and its stdin pipe do not exist yet. An attacher's input (and
 * its EOF) stays in its socket until they do, rather than being discarded. */
static int stdin_not_ready(void)
{
    return opt.want_stdin && !stdin_closed && stdin_fd < 0 && state == ST_CREATED;
}

static int conn_wants_read(struct conn *c)
{
    if (c->in_closed)
        return 0;
    if (c->want_in && stdin_not_ready())
        return 0;
    if (c->want_in && stdin_accepting())
        return stdin_len == 0;
    return 1;
}

/* Input from an attacher: stdin bytes if it asked for stdin, otherwise discarded. */
static void conn_read_input(struct conn *c)
{
    int to_stdin = c->want_in && stdin_accepting();
    ssize_t n;
    if (to_stdin)
        n = read(c->fd, stdin_buf, sizeof stdin_buf);
    else
        n = read(c->fd, rbuf, sizeof rbuf);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            conn_close(c);
        return;
    }
    if (n == 0) {
        c->in_closed = 1;
        if (c->want_in && opt.stdin_once)
            request_close_stdin();
        return;
    }
    if (to_stdin) {
        stdin_len = (size_t)n;
        stdin_off = 0;
        stdin_flush();
    }
}

static void conn_event(struct conn *c, short rev)
{
    if (rev & POLLNVAL) {
        conn_close(c);
        return;
    }
    if (c->st == C_CMD) {
        if (rev & (POLLIN | POLLHUP | POLLERR))
            conn_read_cmd(c);
        return;
    }
    if (rev & POLLOUT) {
        conn_flush(c);
        if (c->st != C_ATTACH)
            return;
    }
    if (rev & POLLERR) {
        conn_close(c);
        return;
    }
    if ((rev & (POLLIN | POLLHUP)) && conn_wants_read(c)) {
        conn_read_input(c);
        if (c->st != C_ATTACH)
            return;
    }
    if (rev & POLLHUP) {
        /* the peer is gone; keep it only while its unread input waits for the stdin buffer */
        if (!c->in_closed && c->want_in && stdin_accepting() && stdin_len > 0)
            c->hup = 1;
        else if (c->in_closed || !conn_wants_read(c))
            conn_close(c);
    }
}

static void on_accept(void)
{
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        int slot = -1;
        if (fd < 0)
            return;
        for (int i = 0; i < MAX_CONNS; i++) {
            if (conns[i].st == C_FREE) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slog("too many connections: refusing one");
            send(fd, "ERR too many connections\n", 25, MSG_DONTWAIT | MSG_NOSIGNAL);
            close(fd);
            continue;
        }
        memset(&conns[slot], 0, sizeof conns[slot]);
        conns[slot].fd = fd;
        conns[slot].st = C_CMD;
        conns[slot].deadline = mono_ms() + CMD_TIMEOUT_MS;
    }
}

static void on_output(int *fd, int stream)
{
    ssize_t n = read(*fd, rbuf, sizeof rbuf);
    if (n > 0) {
        log_chunk(stream, rbuf, (size_t)n);
        broadcast(stream, rbuf, (size_t)n);
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    /* EOF; EIO on a pty master whose slave side is closed everywhere */
    if (*fd == pty_fd) {
        if (stdin_fd == pty_fd)
            stdin_fd = -1;
        pty_fd = -1;
    }
    xclose(fd);
}

/* --------------------------------------------------------------- main loop */

enum { K_SIG, K_LISTEN, K_OUT, K_ERR, K_STDIN, K_CONN };

static int should_quit(int64_t now)
{
    int attached = 0;
    if (quit_now)
        return 1;
    if (state != ST_DONE && state != ST_FAILED)
        return 0;
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].st == C_ATTACH)
            attached = 1;
    return (now >= done_at + GRACE_MS && !attached) || now >= done_at + GRACE_MAX_MS;
}

static void loop(void)
{
    struct pollfd pfd[8 + MAX_CONNS];
    int kind[8 + MAX_CONNS];

    for (;;) {
        int64_t now = mono_ms(), next = now + 60000;
        int n = 0, timeout;

        if (state == ST_DRAINING && ((out_fd < 0 && err_fd < 0) || now >= drain_deadline))
            finish_exit();
        if (should_quit(now))
            break;

        pfd[n] = (struct pollfd){ .fd = sig_fd, .events = POLLIN };
        kind[n++] = K_SIG;
        pfd[n] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
        kind[n++] = K_LISTEN;
        if (out_fd >= 0) {
            pfd[n] = (struct pollfd){ .fd = out_fd, .events = POLLIN };
            kind[n++] = K_OUT;
        }
        if (err_fd >= 0) {
            pfd[n] = (struct pollfd){ .fd = err_fd, .events = POLLIN };
            kind[n++] = K_ERR;
        }
        if (stdin_fd >= 0 && stdin_len > stdin_off) {
            pfd[n] = (struct pollfd){ .fd = stdin_fd, .events = POLLOUT };
            kind[n++] = K_STDIN;
        }
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &conns[i];
            short ev = 0;
            if (c->st == C_FREE)
                continue;
            if (c->st == C_CMD) {
                if (now >= c->deadline) {
                    reply_close(c, "ERR timeout\n");
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
        if (state == ST_DRAINING && drain_deadline < next)
            next = drain_deadline;
        if (state == ST_DONE || state == ST_FAILED) {
            int64_t q = done_at + GRACE_MS;
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
                if (out_fd == pfd[i].fd)
                    on_output(&out_fd, 1);
                break;
            case K_ERR:
                if (err_fd == pfd[i].fd)
                    on_output(&err_fd, 2);
                break;
            case K_STDIN:
                if (stdin_fd == pfd[i].fd)
                    stdin_flush();
                break;
            default: {
                struct conn *c = &conns[kind[i] - K_CONN];
                if (c->st != C_FREE && c->fd == pfd[i].fd)
                    conn_event(c, rev);
            }
            }
        }
        /* accept last, so no fd number closed above is reused by a new connection this turn */
        if (pfd[1].revents & POLLIN)
            on_accept();
        log_flush();
    }
}

/* -------------------------------------------------------------- startup */

static void ready(int code, const char *msg)
{
    char buf[ERRTEXT_MAX + 32];
    int n;
    if (ready_fd < 0)
        return;
    if (code == 0)
        n = snprintf(buf, sizeof buf, "OK\n");
    else
        n = snprintf(buf, sizeof buf, "E%d %s", code, msg);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    write_all(ready_fd, buf, (size_t)n);
    xclose(&ready_fd);
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
    if (listen_fd >= 0)
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
            setup_fail("another shim is already serving %s/shim.sock", state_dir);
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
    close_inherited(ready_fd);
    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0)
        setup_fail("/dev/null: %s", strerror(errno));
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    if (devnull < 3) { /* fds 0..2 were closed when we started: keep a copy above them */
        int d = fcntl(devnull, F_DUPFD_CLOEXEC, 3);
        devnull = d;
    }
    umask(022);
    if (chdir(state_dir) < 0)
        setup_fail("chdir %s: %s", state_dir, strerror(errno));
    shim_log_fd = open("shim.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    slog("starting (%s mode%s%s), runc %s", opt.exec_mode ? "exec" : "container", opt.tty ? ", tty" : "",
         opt.want_stdin ? ", stdin" : "", runc_path);

    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        setup_fail("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sig_fd < 0)
        setup_fail("signalfd: %s", strerror(errno));

    for (int i = 0; i < MAX_CONNS; i++)
        conns[i].fd = -1;

    listen_fd = control_listen();
    if (listen_fd < 0)
        setup_fail("control socket %s/shim.sock: %s", state_dir, strerror(errno));
    unlink("exit.json");
    unlink("exit.json.tmp");
    unlink("create-error");
    unlink("console.sock");
    n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
    if (write_file_atomic("shim.pid", buf, (size_t)n) < 0)
        setup_fail("writing shim.pid: %s", strerror(errno));
    if (log_open() < 0)
        setup_fail("log file %s: %s", log_path, strerror(errno));

    if (!opt.exec_mode) {
        if (runc_launch() < 0) {
            char line[ERRTEXT_MAX];
            one_line(errtext, line, sizeof line);
            slog("runc create failed: %s", line);
            if (write_file_atomic("create-error", errtext, errlen) < 0)
                slog("writing create-error: %s", strerror(errno));
            unlink("shim.sock");
            ready(EXIT_CREATE, errtext);
            _exit(1);
        }
        oom_before = read_oom_kills();
        slog("created, init pid %d", (int)main_pid);
    }
    ready(0, NULL);
    loop();
    slog("exiting");
    close(listen_fd);
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

    /* make sure 0..2 are open, so no fd we create lands there */
    int fd0;
    while ((fd0 = open("/dev/null", O_RDWR)) >= 0 && fd0 <= 2)
        ;
    if (fd0 > 2)
        close(fd0);
    parse_args(argc, argv);
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
        ready_fd = rp[1];
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
    dprintf(2, "tally-shim: the shim died during startup (see %s/shim.log)\n", state_dir);
    return EXIT_SETUP;
}
