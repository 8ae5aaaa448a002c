/* Running runc for the process (runc.h): its stdio, the console socket, create/exec, start, delete. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>

#include "args.h"
#include "runc.h"
#include "shim.h"
#include "util.h"

#define CONSOLE_WAIT_MS   5000    /* runc has exited: its console fd must be queued by now */

static char console_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

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
        execv(opt.runc_path, argv);
        dprintf(2, "tally-shim: cannot execute %s: %s\n", opt.runc_path, strerror(errno));
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
    argv[n++] = opt.runc_path;
    if (opt.runc_root[0]) {
        argv[n++] = "--root";
        argv[n++] = opt.runc_root;
    }
    argv[n++] = "--log";
    argv[n++] = opt.runc_log;
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
    while (shim.errlen + 1 < sizeof shim.errtext) {
        ssize_t n = read(fd, shim.errtext + shim.errlen, sizeof shim.errtext - 1 - shim.errlen);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        shim.errlen += (size_t)n;
    }
    shim.errtext[shim.errlen] = 0;
}

static void describe_status(int st, const char *what)
{
    if (shim.errlen == 0) {
        if (st == -1)
            shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "%s could not be run", what);
        else if (WIFEXITED(st))
            shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "%s exited with status %d", what, WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "%s killed by signal %d", what, WTERMSIG(st));
        else
            shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "%s failed", what);
    }
}

/* Run runc with its output to shim.log; returns the wait status. */
static int runc_quiet(char *const *rest)
{
    char *argv[32];
    int fd = shim.shim_log_fd >= 0 ? shim.shim_log_fd : shim.devnull;
    runc_argv(argv, 32, rest);
    pid_t pid = spawn(argv, shim.devnull, fd, fd);
    return pid < 0 ? -1 : wait_for(pid);
}

static int read_pid_file(void)
{
    char buf[32];
    int fd = open(opt.pid_file, O_RDONLY | O_CLOEXEC);
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
    size_t need = strlen(opt.state_dir) + strlen("/console.sock");
    if (need < sizeof console_path)
        snprintf(console_path, sizeof console_path, "%s/console.sock", opt.state_dir);
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
    if (shim.pty_fd >= 0 && shim.pending_rows >= 0) {
        struct winsize ws = { .ws_row = (unsigned short)shim.pending_rows, .ws_col = (unsigned short)shim.pending_cols };
        if (ioctl(shim.pty_fd, TIOCSWINSZ, &ws) < 0)
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
        shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "runc did not send the console (pty master)");
        return -1;
    }
    set_nonblock(master);
    shim.pty_fd = shim.out_fd = master;
    if (opt.want_stdin)
        shim.stdin_fd = master;
    apply_winsize();
    return 0;
}

/* Create the stdio for the process. fds[0..2] are what runc gets; the shim keeps the other ends. */
static int make_stdio(int fds[3], int *capture_w, int *capture_r)
{
    int p[2];
    fds[0] = fds[1] = fds[2] = shim.devnull;
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
    shim.out_fd = p[0];
    fds[1] = p[1];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    shim.err_fd = p[0];
    fds[2] = p[1];
    *capture_r = shim.err_fd; /* runc's stderr is the container's: nothing else writes there before start */
    if (opt.want_stdin) {
        if (pipe2(p, O_CLOEXEC) < 0)
            return -1;
        fds[0] = p[0];
        shim.stdin_fd = p[1];
        set_nonblock(shim.stdin_fd);
    }
    set_nonblock(shim.out_fd);
    set_nonblock(shim.err_fd);
    return 0;
}

static void close_child_ends(int fds[3], int *capture_w)
{
    for (int i = 0; i < 3; i++) {
        if (fds[i] != shim.devnull && fds[i] >= 0) {
            int fd = fds[i];
            for (int j = i; j < 3; j++)
                if (fds[j] == fd)
                    fds[j] = -1;
            close(fd);
        }
    }
    *capture_w = -1;
}

void process_stdio_close(void)
{
    if (shim.stdin_fd >= 0 && shim.stdin_fd == shim.pty_fd)
        shim.stdin_fd = -1;
    if (shim.out_fd >= 0 && shim.out_fd == shim.pty_fd)
        shim.pty_fd = -1;
    xclose(&shim.pty_fd);
    xclose(&shim.out_fd);
    xclose(&shim.err_fd);
    xclose(&shim.stdin_fd);
    shim.stdin_len = shim.stdin_off = 0;
}

/* `runc create` (container mode) or `runc exec --detach` (exec mode, at START).
 * Returns 0, or -1 with errtext set. */
int runc_launch(void)
{
    int fds[3], capture_w, capture_r, lfd = -1, st;
    char *rest[16], *argv[32];
    int n = 0;
    pid_t pid;

    shim.errlen = 0;
    shim.errtext[0] = 0;
    unlink(opt.pid_file);
    if (make_stdio(fds, &capture_w, &capture_r) < 0) {
        shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "pipe: %s", strerror(errno));
        return -1;
    }
    if (opt.tty && (lfd = console_listen()) < 0) {
        shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "console socket: %s", strerror(errno));
        close_child_ends(fds, &capture_w);
        xclose(&capture_r);
        return -1;
    }
    if (opt.exec_mode) {
        rest[n++] = "exec";
        rest[n++] = "--process";
        rest[n++] = opt.exec_json;
        rest[n++] = "--detach";
    } else {
        rest[n++] = "create";
        rest[n++] = "--bundle";
        rest[n++] = opt.bundle;
    }
    rest[n++] = "--pid-file";
    rest[n++] = opt.pid_file;
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
        if (capture_r != shim.err_fd)
            close(capture_r);
        describe_status(st, opt.exec_mode ? "runc exec" : "runc create");
        if (lfd >= 0) {
            close(lfd);
            unlink("console.sock");
        }
        process_stdio_close();
        return -1;
    }
    /* success: anything runc create printed (warnings) goes to shim.log, not to the container's
     * log. Not for exec: that process is running already and its stderr is the same pipe. */
    if (!(opt.exec_mode && capture_r == shim.err_fd))
        capture(capture_r);
    if (shim.errlen)
        slog("runc said: %s", shim.errtext);
    shim.errlen = 0;
    shim.errtext[0] = 0;
    if (capture_r != shim.err_fd)
        close(capture_r);
    shim.main_pid = read_pid_file();
    if (shim.main_pid <= 0) {
        shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "runc left no usable pid file %s", opt.pid_file);
        if (lfd >= 0) {
            close(lfd);
            unlink("console.sock");
        }
        process_stdio_close();
        return -1;
    }
    if (opt.tty && console_receive(lfd) < 0) {
        process_stdio_close();
        return -1;
    }
    return 0;
}

int runc_start(void)
{
    int p[2], st;
    pid_t pid;
    char *argv[32];
    char *rest[] = { "start", (char *)opt.id, NULL };
    shim.errlen = 0;
    shim.errtext[0] = 0;
    if (pipe2(p, O_CLOEXEC) < 0) {
        shim.errlen = (size_t)snprintf(shim.errtext, sizeof shim.errtext, "pipe: %s", strerror(errno));
        return -1;
    }
    runc_argv(argv, 32, rest);
    pid = spawn(argv, shim.devnull, p[1], p[1]);
    close(p[1]);
    st = pid < 0 ? -1 : wait_for(pid);
    capture(p[0]);
    close(p[0]);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        describe_status(st, "runc start");
        return -1;
    }
    if (shim.errlen)
        slog("runc start said: %s", shim.errtext);
    shim.errlen = 0;
    shim.errtext[0] = 0;
    return 0;
}

void runc_delete(void)
{
    char *rest[] = { "delete", (char *)opt.id, NULL };
    char *force[] = { "delete", "--force", (char *)opt.id, NULL };
    int st = runc_quiet(rest);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        slog("runc delete failed, retrying with --force");
        runc_quiet(force);
    }
}
