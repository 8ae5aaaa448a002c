/* OOM detection (oom.h, README.md "Exit", step 2). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "oom.h"

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
long long oom_read_kills(void)
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
