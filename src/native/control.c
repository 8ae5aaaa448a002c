/* The control socket's connections (control.h, README.md "Control socket"). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "args.h"
#include "attach.h"
#include "control.h"
#include "exit.h"
#include "oom.h"
#include "runc.h"
#include "shim.h"
#include "util.h"

#define CMD_TIMEOUT_MS    30000   /* a connection must send its command line within this */

static void cmd_start(struct conn *c)
{
    char buf[ERRTEXT_MAX + 16], line[ERRTEXT_MAX];
    if (shim.state != ST_CREATED || (!opt.exec_mode && shim.main_pid <= 0)) {
        conn_reply_close(c, shim.state == ST_CREATED ? "ERR not created\n" : "ERR already started\n");
        return;
    }
    if (opt.exec_mode) {
        shim.oom_before = oom_read_kills();
        if (runc_launch() < 0) {
            one_line(shim.errtext, line, sizeof line);
            snprintf(buf, sizeof buf, "ERR %s\n", line);
            conn_reply_close(c, buf);
            exit_start_failed();
            return;
        }
    } else if (runc_start() < 0) {
        one_line(shim.errtext, line, sizeof line);
        snprintf(buf, sizeof buf, "ERR %s\n", line);
        conn_reply_close(c, buf);
        exit_start_failed();
        return;
    }
    shim.state = ST_RUNNING;
    slog("started, pid %d", (int)shim.main_pid);
    snprintf(buf, sizeof buf, "OK %d\n", (int)shim.main_pid);
    conn_reply_close(c, buf);
    exit_reap(); /* a process that already died is handled promptly */
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
            conn_reply_close(c, "ERR usage: ATTACH <stdin 0|1> <stdout 0|1> <stderr 0|1>\n");
            return;
        }
        c->st = C_ATTACH;
        c->want_in = (int)a;
        c->want_out = (int)b;
        c->want_err = (int)d;
        c->deadline = 0;
        conn_send(c, "OK\n", 3, NULL, 0);
        if (c->st == C_ATTACH && (shim.state == ST_DONE || shim.state == ST_FAILED))
            conn_finish(c);
    } else if (!strncmp(line, "RESIZE ", 7)) {
        p = line + 7;
        if (parse_uint(&p, 65535, &a) || parse_uint(&p, 65535, &b) || *p) {
            conn_reply_close(c, "ERR usage: RESIZE <rows> <cols>\n");
            return;
        }
        if (!opt.tty) {
            conn_reply_close(c, "ERR not a tty\n");
            return;
        }
        shim.pending_rows = (int)a;
        shim.pending_cols = (int)b;
        if (shim.pty_fd >= 0) {
            struct winsize ws = { .ws_row = (unsigned short)a, .ws_col = (unsigned short)b };
            if (ioctl(shim.pty_fd, TIOCSWINSZ, &ws) < 0) {
                snprintf(buf, sizeof buf, "ERR TIOCSWINSZ: %s\n", strerror(errno));
                conn_reply_close(c, buf);
                return;
            }
        }
        conn_reply_close(c, "OK\n");
    } else if (!strcmp(line, "CLOSE_STDIN")) {
        stdin_request_close();
        conn_reply_close(c, "OK\n");
    } else if (!strcmp(line, "STATUS")) {
        switch (shim.state) {
        case ST_CREATED:
            snprintf(buf, sizeof buf, "CREATED %d\n", (int)shim.main_pid);
            break;
        case ST_RUNNING:
        case ST_DRAINING:
            snprintf(buf, sizeof buf, "RUNNING %d\n", (int)shim.main_pid);
            break;
        case ST_DONE:
            snprintf(buf, sizeof buf, "EXITED %d %d %d %s\n", shim.exit_code, shim.exit_signal, shim.oom_killed, shim.exited_at);
            break;
        default: {
            char l[200];
            one_line(shim.errtext, l, sizeof l);
            snprintf(buf, sizeof buf, "FAILED %s\n", l);
        }
        }
        conn_reply_close(c, buf);
    } else if (!strncmp(line, "KILL ", 5)) {
        p = line + 5;
        if (parse_uint(&p, 64, &a) || *p || a < 1) {
            conn_reply_close(c, "ERR usage: KILL <signal-number>\n");
            return;
        }
        if ((shim.state != ST_CREATED && shim.state != ST_RUNNING) || shim.main_pid <= 0) {
            conn_reply_close(c, "ERR no running process\n");
            return;
        }
        if (kill(shim.main_pid, (int)a) < 0) {
            snprintf(buf, sizeof buf, "ERR kill: %s\n", strerror(errno));
            conn_reply_close(c, buf);
            return;
        }
        conn_reply_close(c, "OK\n");
    } else {
        conn_reply_close(c, "ERR unknown command\n");
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
        conn_reply_close(c, "ERR command too long\n");
    }
}

/* Exec mode before START: the process and its stdin pipe do not exist yet. An attacher's input (and
 * its EOF) stays in its socket until they do, rather than being discarded. */
static int stdin_not_ready(void)
{
    return opt.want_stdin && !shim.stdin_closed && shim.stdin_fd < 0 && shim.state == ST_CREATED;
}

int conn_wants_read(struct conn *c)
{
    if (c->in_closed)
        return 0;
    if (c->want_in && stdin_not_ready())
        return 0;
    if (c->want_in && stdin_accepting())
        return shim.stdin_len == 0;
    return 1;
}

/* Input from an attacher: stdin bytes if it asked for stdin, otherwise discarded. */
static void conn_read_input(struct conn *c)
{
    int to_stdin = c->want_in && stdin_accepting();
    ssize_t n;
    if (to_stdin)
        n = read(c->fd, shim.stdin_buf, sizeof shim.stdin_buf);
    else
        n = read(c->fd, shim.rbuf, sizeof shim.rbuf);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            conn_close(c);
        return;
    }
    if (n == 0) {
        c->in_closed = 1;
        if (c->want_in && opt.stdin_once)
            stdin_request_close();
        return;
    }
    if (to_stdin) {
        shim.stdin_len = (size_t)n;
        shim.stdin_off = 0;
        stdin_flush();
    }
}

void conn_event(struct conn *c, short rev)
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
        if (!c->in_closed && c->want_in && stdin_accepting() && shim.stdin_len > 0)
            c->hup = 1;
        else if (c->in_closed || !conn_wants_read(c))
            conn_close(c);
    }
}

void control_accept(void)
{
    for (;;) {
        int fd = accept4(shim.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        int slot = -1;
        if (fd < 0)
            return;
        for (int i = 0; i < MAX_CONNS; i++) {
            if (shim.conns[i].st == C_FREE) {
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
        memset(&shim.conns[slot], 0, sizeof shim.conns[slot]);
        shim.conns[slot].fd = fd;
        shim.conns[slot].st = C_CMD;
        shim.conns[slot].deadline = mono_ms() + CMD_TIMEOUT_MS;
    }
}
