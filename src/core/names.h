/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_NAMES_H
#define ERLAB_NAMES_H

#include <net/if.h>
#include <stdint.h>

#include "core/model.h"

/* docs/layout.md naming. Pure string work: where every kernel object of a circuit is, by name. */

#define NS_NAME_MAX 128
#define MARK_MAX 128

/* "<circuit>-customer", "<circuit>-microsoft". */
const char *names_ns(const struct circuit *c, enum ns_role role, char buf[NS_NAME_MAX]);
/* "<circuit>-<vnet>". */
const char *names_vnet_ns(const struct circuit *c, const struct vnet *v, char buf[NS_NAME_MAX]);
/* Every namespace of c in turn: i = 0 and 1 its customer and Microsoft ones, then one per VNet;
 * NULL past the last. */
const char *names_circuit_ns(const struct circuit *c, unsigned i, char buf[NS_NAME_MAX]);
/* Trunk end: "primary" / "secondary" (same name on both sides). */
const char *names_trunk(enum link_side side);
/* Peering link: "primary.<vlan>" / "secondary.<vlan>". */
const char *names_plink(enum link_side side, uint16_t vlan, char buf[IFNAMSIZ]);
/* A linked VNet's veth (docs/layout.md): "to-microsoft" in the VNet's namespace, "to-<vnet>" in the
 * Microsoft one; the VM's NIC "vm" on the VNet side. */
#define NAMES_VNET_UPLINK "to-microsoft"
#define NAMES_VM "vm"
const char *names_vnet_link(const struct vnet *v, char buf[IFNAMSIZ]);
/* "Microsoft-side port" as printed in PrimaryAzurePort: "<circuit>-microsoft/primary.<vlan>". */
const char *names_azure_port(const struct circuit *c, enum link_side side, uint16_t vlan, char *buf, unsigned len);

/*
 * Ownership marks (interface alias): "erlab:<service-key>:<role>".
 * role examples: "ns:customer" (on lo), "trunk:primary", "peering:private:primary".
 * names_mark_parse() splits a mark; returns 0 when alias is an erlab mark, -EINVAL otherwise.
 */
const char *names_mark(const char *service_key, const char *role, char buf[MARK_MAX]);
int names_mark_parse(const char *alias, char ret_key[GUID_STRLEN], const char **ret_role);

/*
 * A valid circuit name (docs/rules.md): 1–80 of [A-Za-z0-9._-], not "." or "..", not starting with '-'
 * or '.' (so it can never be an option or a hidden/relative path). Returns 0 or -EINVAL.
 */
int names_check_circuit(const char *name);
/* VNet names: 1–12 of [A-Za-z0-9_-], not starting with '-'. */
int names_check_vnet(const char *name);

/* Lab names (README, "Lab files"): 1–63 of [A-Za-z0-9._-], not starting with '-' or '.'. */
#define LAB_NAME_MAX 63
int names_check_lab(const char *name);
/*
 * A lab's default name: its file's name without the directory and a trailing ".ini"
 * ("/x/labs/classic.ini" -> "classic"). Returns 0, or -EINVAL when that is not a valid lab name
 * (ret then holds it as far as it fits, for the message).
 */
int names_lab_of_path(const char *path, char ret[LAB_NAME_MAX + 1]);

#endif
