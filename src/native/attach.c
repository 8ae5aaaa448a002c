/* Attachers and the process's stdin (attach.h, README.md "Attach stream"). */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "args.h"
#include "attach.h"
#include "shim.h"
#include "util.h"

#define ATTACH_QUEUE_MAX  (1 << 20) /* per-attacher unsent output before it is dropped */

void conn_close(struct conn *c)
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

void conn_reply(struct conn *c, const char *msg)
{
    /* replies are tiny and the socket's buffer is empty: one non-blocking send */
    if (send(c->fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
        slog("reply failed: %s", strerror(errno));
}

void conn_reply_close(struct conn *c, const char *msg)
{
    conn_reply(c, msg);
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
void conn_send(struct conn *c, const char *hdr, size_t hlen, const char *data, size_t dlen)
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

void conn_flush(struct conn *c)
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
    if (shim.state == ST_FAILED) {
        char line[ERRTEXT_MAX];
        one_line(shim.errtext, line, sizeof line);
        snprintf(out, outsz, "error %s", line);
    } else if (shim.exit_signal) {
        snprintf(out, outsz, "signal %d", shim.exit_signal);
    } else {
        snprintf(out, outsz, "exit %d", shim.exit_code);
    }
}

void conn_finish(struct conn *c)
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

void attach_broadcast(int stream, const char *data, size_t len)
{
    char hdr[5];
    frame_header(hdr, stream, len);
    for (int i = 0; i < MAX_CONNS; i++) {
        struct conn *c = &shim.conns[i];
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
    shim.stdin_closed = 1;
    shim.stdin_close_pending = 0;
    shim.stdin_len = shim.stdin_off = 0;
    if (opt.tty) {
        /* a pty has no half-close: send the EOF character (^D) once, stop forwarding */
        if (shim.pty_fd >= 0 && opt.want_stdin) {
            char eot = 4;
            if (write(shim.pty_fd, &eot, 1) < 0)
                slog("writing EOF to the pty: %s", strerror(errno));
        }
        shim.stdin_fd = -1;
    } else {
        xclose(&shim.stdin_fd);
    }
}

void stdin_request_close(void)
{
    if (shim.stdin_closed)
        return;
    if (shim.stdin_fd >= 0 && shim.stdin_len > shim.stdin_off)
        shim.stdin_close_pending = 1;
    else
        do_close_stdin();
}

void stdin_flush(void)
{
    while (shim.stdin_fd >= 0 && shim.stdin_off < shim.stdin_len) {
        ssize_t n = write(shim.stdin_fd, shim.stdin_buf + shim.stdin_off, shim.stdin_len - shim.stdin_off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            slog("container stdin: %s; input discarded from now on", strerror(errno));
            do_close_stdin();
            return;
        }
        shim.stdin_off += (size_t)n;
    }
    shim.stdin_len = shim.stdin_off = 0;
    if (shim.stdin_close_pending)
        do_close_stdin();
}

int stdin_accepting(void)
{
    return !shim.stdin_closed && !shim.stdin_close_pending && shim.stdin_fd >= 0 && opt.want_stdin;
}
