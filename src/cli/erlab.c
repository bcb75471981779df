/* SPDX-License-Identifier: MIT */
/* The erlab program: everything is in cli/main.c's cli_main, which the tests link too. */
#include <malloc.h>

int cli_main(int argc, char **argv);

int main(int argc, char **argv)
{
	/*
	 * A command is short-lived and its memory comes and goes in waves (status observes 256
	 * circuits, prints and frees them, then the next 256; each drift thread's arena the same):
	 * giving freed memory back to the kernel only to fault it in again cost `status` and the
	 * no-change `up` of 1,000 circuits 2 to 12 % of their CPU (page faults, and the TLB
	 * shootdowns of madvise across CPUs). Peak memory is unchanged; it goes back at exit.
	 */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	return cli_main(argc, argv);
}
