/* Small helpers every part of tally-shim uses (util.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "shim.h"
#include "util.h"

int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* RFC 3339 with nanoseconds, UTC, always 9 fraction digits: 2024-05-01T10:11:12.123456789Z */
void now_rfc3339(char out[64])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts.tv_nsec);
}

int write_all(int fd, const void *buf, size_t len)
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

void slog(const char *fmt, ...)
{
    char buf[1024], ts[64];
    int n;
    va_list ap;
    if (shim.shim_log_fd < 0)
        return;
    now_rfc3339(ts);
    n = snprintf(buf, sizeof buf, "%s tally-shim[%d] %s: ", ts, (int)getpid(), opt.id ? opt.id : "?");
    va_start(ap, fmt);
    n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    write_all(shim.shim_log_fd, buf, (size_t)n);
}

void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void xclose(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Write a file atomically: NAME.tmp, fsync, rename. Relative names are in the state dir (our cwd). */
int write_file_atomic(const char *name, const char *data, size_t len)
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
void one_line(const char *in, char *out, size_t outsz)
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
