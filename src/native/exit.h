/* The process's end (README.md, "Exit"): reaping, exit.json and the notification, or a failed START. */
#ifndef TALLY_SHIM_EXIT_H
#define TALLY_SHIM_EXIT_H

void exit_reap(void);           /* waitpid: the process exited -> ST_DRAINING */
void exit_finish(void);         /* drained: exit.json, notify, final frames -> ST_DONE */
void exit_start_failed(void);   /* START failed: create-error, final frames -> ST_FAILED */

#endif
