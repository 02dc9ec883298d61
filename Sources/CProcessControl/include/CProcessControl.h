#ifndef C_PROCESS_CONTROL_H
#define C_PROCESS_CONTROL_H

/// Marks the process as not dumpable (prctl PR_SET_DUMPABLE 0): no core file, no ptrace by
/// other unprivileged processes, /proc/<pid>/environ readable only by root. 0 on success.
/// (prctl is variadic in C, so Swift cannot call it directly.)
int oms_process_set_not_dumpable(void);

#endif
