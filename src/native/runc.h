/* Running runc: create or exec (with the process's stdio and, for a TTY, the console socket),
 * start, delete. */
#ifndef TALLY_SHIM_RUNC_H
#define TALLY_SHIM_RUNC_H

int runc_launch(void);            /* `runc create`, or `runc exec --detach` in exec mode; -1: shim.errtext */
int runc_start(void);             /* -1: shim.errtext */
void runc_delete(void);
void process_stdio_close(void);   /* the shim's ends of the process's stdio */

#endif
