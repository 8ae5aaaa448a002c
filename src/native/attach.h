/* Attachers (README.md, "Attach stream"): output frames, per-attacher queues, the final frame;
 * and the process's stdin fed from their input. */
#ifndef TALLY_SHIM_ATTACH_H
#define TALLY_SHIM_ATTACH_H

#include <stddef.h>

struct conn;

void conn_reply(struct conn *c, const char *msg);
void conn_reply_close(struct conn *c, const char *msg);
void conn_send(struct conn *c, const char *hdr, size_t hlen, const char *data, size_t dlen);
void conn_flush(struct conn *c);
void conn_finish(struct conn *c);    /* queue the final frame, close once it is sent */
void conn_close(struct conn *c);
void attach_broadcast(int stream, const char *data, size_t len);

void stdin_flush(void);
void stdin_request_close(void);      /* close once pending input is written */
int stdin_accepting(void);

#endif
