/* SPDX-License-Identifier: MIT */
/* The erlab program: everything is in cli/main.c's cli_main, which the tests link too. */
int cli_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
