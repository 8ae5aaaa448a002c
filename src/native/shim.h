/*
 * What the parts of tally-shim share: the state of the one process it monitors, its stdio,
 * its control connections and its exit, in one struct (`shim`, defined in main.c). Each
 * part's own functions are declared in its header (args.h, log.h, attach.h, control.h,
 * runc.h, oom.h, exit.h, util.h); state only one part uses stays static in that part.
 */
#ifndef TALLY_SHIM_H
#define TALLY_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define READ_CHUNK        32768   /* one read from the container's stdout/stderr/pty */
#define STDIN_BUF         16384   /* pending attacher input not yet taken by the container */
#define MAX_CONNS         64      /* control connections (commands and attachers) */
#define CMD_MAX           256     /* longest command line */
#define ERRTEXT_MAX       8192    /* captured runc error text */

enum { ST_CREATED, ST_RUNNING, ST_DRAINING, ST_DONE, ST_FAILED };
enum { C_FREE, C_CMD, C_ATTACH };
enum { EXIT_BADARGS = 2, EXIT_SETUP = 1, EXIT_CREATE = 3 };

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

struct shim {
    int state;
    pid_t main_pid;            /* container init or exec process, 0 if not known yet */
    int shim_log_fd, devnull, sig_fd, listen_fd, ready_fd;
    int out_fd, err_fd;        /* read ends: stdout pipe (or pty master), stderr pipe */
    int stdin_fd;              /* write end of the stdin pipe, or the pty master */
    int pty_fd;                /* the pty master (TTY mode), also out_fd */
    char stdin_buf[STDIN_BUF];
    size_t stdin_len, stdin_off;
    int stdin_close_pending;   /* close once stdin_buf is flushed */
    int stdin_closed;          /* no more input will be forwarded */
    int pending_rows, pending_cols;
    long long oom_before;
    int exit_code, exit_signal, oom_killed;
    char exited_at[64];
    int64_t drain_deadline, done_at;
    int quit_now;
    char errtext[ERRTEXT_MAX];
    size_t errlen;
    struct conn conns[MAX_CONNS];
    char rbuf[READ_CHUNK];     /* scratch for one read of output or discarded input */
};

extern struct shim shim;

#endif
