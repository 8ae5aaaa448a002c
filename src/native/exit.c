/* The process's end (exit.h, README.md "Exit"). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "args.h"
#include "attach.h"
#include "exit.h"
#include "log.h"
#include "oom.h"
#include "runc.h"
#include "shim.h"
#include "util.h"

#define DRAIN_MS          2000    /* after the process exited: wait this long at most for EOF */

static void notify_exit(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct timeval tv = { 1, 0 };
    char msg[PATH_MAX + 1200];
    int fd, n;
    if (!opt.notify_path[0])
        return;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    strcpy(sa.sun_path, opt.notify_path);
    /* an exec session has the container's id: it says EXEC_EXIT and names its state dir */
    if (opt.exec_mode)
        n = snprintf(msg, sizeof msg, "EXEC_EXIT %s %d %s\n", opt.id, shim.exit_code, opt.state_dir);
    else
        n = snprintf(msg, sizeof msg, "EXIT %s %d\n", opt.id, shim.exit_code);
    if (n >= (int)sizeof msg) {
        slog("exit notification too long");
        close(fd);
        return;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || send(fd, msg, (size_t)n, MSG_NOSIGNAL) != n)
        slog("exit notification to %s failed: %s (tallyd reads exit.json later)", opt.notify_path, strerror(errno));
    close(fd);
}

void exit_finish(void)
{
    char json[512];
    long long oom_after;
    int n;

    /* take whatever is still readable, then stop reading */
    for (int round = 0; round < 64 && (shim.out_fd >= 0 || shim.err_fd >= 0); round++) {
        int got = 0;
        int *srcs[2] = { &shim.out_fd, &shim.err_fd };
        for (int s = 0; s < 2; s++) {
            int *fd = srcs[s];
            if (*fd < 0)
                continue;
            ssize_t r = read(*fd, shim.rbuf, sizeof shim.rbuf);
            if (r > 0) {
                log_chunk(s + 1, shim.rbuf, (size_t)r);
                attach_broadcast(s + 1, shim.rbuf, (size_t)r);
                got = 1;
            }
        }
        if (!got)
            break;
    }
    process_stdio_close();
    log_flush();

    oom_after = oom_read_kills();
    shim.oom_killed = oom_after > 0 && oom_after > (shim.oom_before > 0 ? shim.oom_before : 0);
    if (!opt.exec_mode)
        runc_delete(); /* before anyone learns of the exit, so the id can be reused at once */

    n = snprintf(json, sizeof json,
                 "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"exitedAt\":\"%s\",\"pid\":%d}\n",
                 shim.exit_code, shim.exit_signal, shim.oom_killed ? "true" : "false", shim.exited_at, (int)shim.main_pid);
    if (write_file_atomic("exit.json", json, (size_t)n) < 0)
        slog("writing exit.json: %s", strerror(errno));
    shim.state = ST_DONE;
    shim.done_at = mono_ms();
    slog("process %d exited: code %d signal %d oom %d", (int)shim.main_pid, shim.exit_code, shim.exit_signal, shim.oom_killed);
    notify_exit();
    for (int i = 0; i < MAX_CONNS; i++)
        if (shim.conns[i].st == C_ATTACH)
            conn_finish(&shim.conns[i]);
}

void exit_start_failed(void)
{
    char line[ERRTEXT_MAX];
    one_line(shim.errtext, line, sizeof line);
    slog("start failed: %s", line);
    if (write_file_atomic("create-error", shim.errtext, shim.errlen) < 0)
        slog("writing create-error: %s", strerror(errno));
    shim.state = ST_FAILED;
    shim.done_at = mono_ms();
    process_stdio_close();
    if (!opt.exec_mode)
        runc_delete();
    for (int i = 0; i < MAX_CONNS; i++)
        if (shim.conns[i].st == C_ATTACH)
            conn_finish(&shim.conns[i]);
}

void exit_reap(void)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        if (pid != shim.main_pid || shim.main_pid <= 0 || (shim.state != ST_CREATED && shim.state != ST_RUNNING))
            continue;
        if (WIFEXITED(st)) {
            shim.exit_code = WEXITSTATUS(st);
            shim.exit_signal = 0;
        } else if (WIFSIGNALED(st)) {
            shim.exit_signal = WTERMSIG(st);
            shim.exit_code = 128 + shim.exit_signal;
        } else {
            continue;
        }
        now_rfc3339(shim.exited_at);
        shim.state = ST_DRAINING;
        shim.drain_deadline = mono_ms() + DRAIN_MS;
        shim.stdin_closed = 1;
        shim.stdin_len = shim.stdin_off = 0;
        if (shim.stdin_fd >= 0 && shim.stdin_fd == shim.pty_fd)
            shim.stdin_fd = -1;
        else
            xclose(&shim.stdin_fd);
    }
}
