/* tally-shim's command line (args.h, README.md "Command line"). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "args.h"
#include "shim.h"

struct options opt;

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
        absolute("--runc", name, opt.runc_path, sizeof opt.runc_path);
    } else {
        const char *path = getenv("PATH");
        char dir[PATH_MAX];
        if (!path || !*path)
            path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        opt.runc_path[0] = 0;
        while (*path) {
            const char *colon = strchr(path, ':');
            size_t len = colon ? (size_t)(colon - path) : strlen(path);
            if (len > 0 && len < sizeof dir) {
                memcpy(dir, path, len);
                dir[len] = 0;
                if ((size_t)snprintf(opt.runc_path, sizeof opt.runc_path, "%s/%s", dir, name) < sizeof opt.runc_path &&
                    access(opt.runc_path, X_OK) == 0)
                    break;
            }
            opt.runc_path[0] = 0;
            path += len + (colon ? 1 : 0);
        }
        if (!opt.runc_path[0])
            usage_error("--runc: '%s' not found in PATH", name);
    }
    if (access(opt.runc_path, X_OK) != 0)
        usage_error("--runc: %s is not executable: %s", opt.runc_path, strerror(errno));
}

void args_parse(int argc, char **argv)
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
    if (!realpath(a_state, opt.state_dir) || stat(opt.state_dir, &st) < 0 || !S_ISDIR(st.st_mode))
        usage_error("--state-dir: %s is not a directory", a_state);

    opt.exec_mode = a_exec != NULL;
    if (a_exec) {
        if (!realpath(a_exec, opt.exec_json) || stat(opt.exec_json, &st) < 0 || !S_ISREG(st.st_mode))
            usage_error("--exec: %s is not a file", a_exec);
    }
    if (a_bundle) {
        char cfg[PATH_MAX + 16];
        if (!realpath(a_bundle, opt.bundle) || stat(opt.bundle, &st) < 0 || !S_ISDIR(st.st_mode))
            usage_error("--bundle: %s is not a directory", a_bundle);
        snprintf(cfg, sizeof cfg, "%s/config.json", opt.bundle);
        if (!opt.exec_mode && access(cfg, R_OK) != 0)
            usage_error("--bundle: %s has no config.json", opt.bundle);
    } else if (!opt.exec_mode) {
        usage_error("--bundle is required");
    }
    find_runc(a_runc);
    if (a_root) {
        if (!*a_root)
            usage_error("--runc-root: empty");
        absolute("--runc-root", a_root, opt.runc_root, sizeof opt.runc_root);
    }
    if (a_log && *a_log)
        absolute("--log-path", a_log, opt.log_path, sizeof opt.log_path);
    else if ((size_t)snprintf(opt.log_path, sizeof opt.log_path, "%s/container.log", opt.state_dir) >= sizeof opt.log_path)
        usage_error("--state-dir: path too long");
    if (strlen(opt.log_path) + 8 >= sizeof opt.log_path)
        usage_error("--log-path: path too long");
    if (a_notify) {
        char abs[PATH_MAX];
        absolute("--notify-socket", a_notify, abs, sizeof abs);
        if (strlen(abs) >= sizeof opt.notify_path)
            usage_error("--notify-socket: path longer than %zu bytes", sizeof opt.notify_path - 1);
        strcpy(opt.notify_path, abs);
    }
    if (opt.cgroup_path && !*opt.cgroup_path)
        opt.cgroup_path = NULL;
    if (strlen(opt.state_dir) + 32 >= PATH_MAX)
        usage_error("--state-dir: path too long");
    snprintf(opt.runc_log, sizeof opt.runc_log, "%s/runc.log", opt.state_dir);
    snprintf(opt.pid_file, sizeof opt.pid_file, "%s/init.pid", opt.state_dir);
}
