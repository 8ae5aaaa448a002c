/* Small helpers every part of tally-shim uses. */
#ifndef TALLY_SHIM_UTIL_H
#define TALLY_SHIM_UTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t mono_ms(void);
void now_rfc3339(char out[64]);   /* 2024-05-01T10:11:12.123456789Z */
int write_all(int fd, const void *buf, size_t len);
void slog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* a line in shim.log */
void set_nonblock(int fd);
void xclose(int *fd);
int write_file_atomic(const char *name, const char *data, size_t len);
void one_line(const char *in, char *out, size_t outsz);

#endif
