/*
 * insn_plugin.c - QEMU TCG plugin: count executed guest instructions.
 *
 * Each translated block gets an inline "counter += number of instructions
 * in this block" operation; the total is printed to stderr at exit as
 * "insns N".  Built against QEMU's public include/qemu/qemu-plugin.h
 * (fetched by bench-inflate.sh with apt-get source qemu).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t insn_count;

/** on_tb_trans - called once per translated block: add its length. */
static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &insn_count,
						 qemu_plugin_tb_n_insns(tb));
}

/** on_exit - print the total. */
static void on_exit(qemu_plugin_id_t id, void *p)
{
	(void)id;
	(void)p;
	fprintf(stderr, "insns %llu\n", (unsigned long long)insn_count);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	(void)info;
	(void)argc;
	(void)argv;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_atexit_cb(id, on_exit, NULL);
	return 0;
}
