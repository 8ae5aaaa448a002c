/* The command line (README.md, "Command line"). */
#ifndef TALLY_SHIM_ARGS_H
#define TALLY_SHIM_ARGS_H

#include <limits.h>
#include <sys/un.h>

/* Fills opt; on bad arguments prints usage and exits with EXIT_BADARGS. */
void args_parse(int argc, char **argv);

struct options {
    const char *id;
    int tty, want_stdin, stdin_once;
    long long log_max_size;   /* 0: no rotation */
    int log_max_files;
    const char *cgroup_path;
    int exec_mode;
    char state_dir[PATH_MAX];
    char bundle[PATH_MAX];
    char runc_path[PATH_MAX];
    char runc_root[PATH_MAX];
    char log_path[PATH_MAX];
    char exec_json[PATH_MAX];
    char notify_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char runc_log[PATH_MAX];
    char pid_file[PATH_MAX];
};

extern struct options opt;   /* set once by args_parse, read-only afterwards */

#endif
