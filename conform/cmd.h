/* The subcommands `bookedbg compile` and `bookedbg check-log` (conform/cmd.c). */
#ifndef BOOKEDBG_CONFORM_CMD_H
#define BOOKEDBG_CONFORM_CMD_H

int cmd_compile(int argc, char **argv);
int cmd_check_log(int argc, char **argv);

#endif
