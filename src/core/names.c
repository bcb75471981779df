/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/names.h"

#define MARK_PREFIX "erlab:"

const char *names_ns(const struct circuit *c, enum ns_role role, char buf[NS_NAME_MAX])
{
	snprintf(buf, NS_NAME_MAX, "%s-%s", c->name, ns_role_name(role));
	return buf;
}

const char *names_vnet_ns(const struct circuit *c, const struct vnet *v, char buf[NS_NAME_MAX])
{
	snprintf(buf, NS_NAME_MAX, "%s-%s", c->name, v->name);
	return buf;
}

const char *names_circuit_ns(const struct circuit *c, unsigned i, char buf[NS_NAME_MAX])
{
	if (i < _NS_MAX)
		return names_ns(c, (enum ns_role)i, buf);
	return i - _NS_MAX < c->n_vnets ? names_vnet_ns(c, &c->vnets[i - _NS_MAX], buf) : NULL;
}

const char *names_trunk(enum link_side side)
{
	return link_side_name(side);
}

const char *names_plink(enum link_side side, uint16_t vlan, char buf[IFNAMSIZ])
{
	/* "secondary.4094" is 14 characters: always fits IFNAMSIZ - 1. */
	snprintf(buf, IFNAMSIZ, "%s.%u", link_side_name(side), (unsigned)vlan);
	return buf;
}

const char *names_vnet_link(const struct vnet *v, char buf[IFNAMSIZ])
{
	/* VNET_NAME_MAX keeps "to-<vnet>" within IFNAMSIZ - 1. */
	snprintf(buf, IFNAMSIZ, "to-%s", v->name);
	return buf;
}

const char *names_azure_port(const struct circuit *c, enum link_side side, uint16_t vlan, char *buf, unsigned len)
{
	char ns[NS_NAME_MAX], plink[IFNAMSIZ];

	if (!buf || len == 0)
		return buf;
	snprintf(buf, len, "%s/%s", names_ns(c, NS_MICROSOFT, ns), names_plink(side, vlan, plink));
	return buf;
}

const char *names_mark(const char *service_key, const char *role, char buf[MARK_MAX])
{
	snprintf(buf, MARK_MAX, MARK_PREFIX "%s:%s", service_key, role);
	return buf;
}

int names_mark_parse(const char *alias, char ret_key[GUID_STRLEN], const char **ret_role)
{
	const size_t plen = strlen(MARK_PREFIX), klen = GUID_STRLEN - 1;
	char key[GUID_STRLEN], canonical[GUID_STRLEN];
	const char *role;

	if (!alias || strncmp(alias, MARK_PREFIX, plen) != 0)
		return -EINVAL;
	if (strnlen(alias + plen, klen) != klen || alias[plen + klen] != ':')
		return -EINVAL;
	memcpy(key, alias + plen, klen);
	key[klen] = '\0';
	/* Only the exact form names_mark() writes is ours; anything else belongs to someone else. */
	if (guid_parse(key, canonical) < 0 || strcmp(key, canonical) != 0)
		return -EINVAL;
	role = alias + plen + klen + 1;
	if (!*role)
		return -EINVAL;
	if (ret_key)
		memcpy(ret_key, key, GUID_STRLEN);
	if (ret_role)
		*ret_role = role;
	return 0;
}

static int check_chars(const char *name, size_t max, const char *punct)
{
	size_t n;

	if (!name)
		return -EINVAL;
	n = strnlen(name, max + 1);
	if (n == 0 || n > max)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
			continue;
		if (!strchr(punct, ch))
			return -EINVAL;
	}
	return 0;
}

int names_check_circuit(const char *name)
{
	if (check_chars(name, CIRCUIT_NAME_MAX, "._-") < 0)
		return -EINVAL;
	/* A leading '.' also rules out "." and "..", so the name is never a relative path. */
	if (name[0] == '.' || name[0] == '-')
		return -EINVAL;
	return 0;
}

int names_check_lab(const char *name)
{
	if (check_chars(name, LAB_NAME_MAX, "._-") < 0 || name[0] == '.' || name[0] == '-')
		return -EINVAL;
	return 0;
}

int names_lab_of_path(const char *path, char ret[LAB_NAME_MAX + 1])
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	snprintf(ret, LAB_NAME_MAX + 1, "%.*s", (int)n, base);
	return n <= LAB_NAME_MAX ? names_check_lab(ret) : -EINVAL;
}

int names_check_vnet(const char *name)
{
	if (check_chars(name, VNET_NAME_MAX, "_-") < 0)
		return -EINVAL;
	if (name[0] == '-')
		return -EINVAL;
	return 0;
}
