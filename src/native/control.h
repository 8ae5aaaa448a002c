/* The control socket's connections (README.md, "Control socket"): command lines, their replies,
 * and attachers' input. */
#ifndef TALLY_SHIM_CONTROL_H
#define TALLY_SHIM_CONTROL_H

struct conn;

void control_accept(void);
void conn_event(struct conn *c, short rev);
int conn_wants_read(struct conn *c);

#endif
