/* OOM detection through the cgroup's oom_kill counter (README.md, "Exit", step 2). */
#ifndef TALLY_SHIM_OOM_H
#define TALLY_SHIM_OOM_H

long long oom_read_kills(void);   /* -1: unknown */

#endif
