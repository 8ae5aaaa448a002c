/* The container's CRI log (log.h, README.md "Log"). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "args.h"
#include "log.h"
#include "util.h"

#define LOG_LINE_MAX      16384   /* longer lines are split into P records */
#define LOGBUF_SIZE       65536   /* log records are batched, flushed once per loop turn */

static char logbuf[LOGBUF_SIZE];
static size_t loglen;
static long long logsize;
static int log_fd = -1;
static int log_failed;

int log_open(void)
{
    struct stat st;
    log_fd = open(opt.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log_fd < 0)
        return -1;
    logsize = fstat(log_fd, &st) == 0 ? (long long)st.st_size : 0;
    return 0;
}

void log_flush(void)
{
    if (loglen == 0)
        return;
    if (log_fd >= 0 && write_all(log_fd, logbuf, loglen) < 0) {
        if (!log_failed)
            slog("writing %s failed: %s (further log errors not reported)", opt.log_path, strerror(errno));
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
        snprintf(from, sizeof from, "%s.%d", opt.log_path, opt.log_max_files - 1);
        unlink(from);
        for (int i = opt.log_max_files - 2; i >= 1; i--) {
            snprintf(from, sizeof from, "%s.%d", opt.log_path, i);
            snprintf(to, sizeof to, "%s.%d", opt.log_path, i + 1);
            if (rename(from, to) < 0 && errno != ENOENT)
                slog("rotate %s: %s", from, strerror(errno));
        }
        snprintf(to, sizeof to, "%s.1", opt.log_path);
        if (rename(opt.log_path, to) < 0)
            slog("rotate %s: %s", opt.log_path, strerror(errno));
    } else {
        unlink(opt.log_path);
    }
    if (log_open() < 0)
        slog("reopen %s: %s", opt.log_path, strerror(errno));
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
void log_chunk(int stream, const char *buf, size_t n)
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
