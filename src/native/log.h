/* The container's CRI log (README.md, "Log"): records are batched, written once per loop turn,
 * and the file is rotated by size. */
#ifndef TALLY_SHIM_LOG_H
#define TALLY_SHIM_LOG_H

#include <stddef.h>

int log_open(void);                                     /* opens opt.log_path; -1 with errno */
void log_chunk(int stream, const char *buf, size_t n);  /* stream 1 stdout, 2 stderr */
void log_flush(void);

#endif
