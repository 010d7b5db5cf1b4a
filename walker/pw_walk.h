/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-pagewalk walker core: one walker per table format (x86 paging, used
 * for guest page tables and AMD NPT; Intel EPT).  Pure functions over a
 * caller-supplied read callback, so the same code runs in the host KVM, in
 * the guest module and in userspace unit tests on synthetic tables.
 */
#ifndef _PW_WALK_H
#define _PW_WALK_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#else
#include "user/pw_types.h"
#endif

#define PW_MAX_LEVELS	5
#define PW_ADDR_MASK	0x000ffffffffff000ULL	/* bits 51:12 */
#define PW_BIT(n)	(1ULL << (n))
#define PW_GENMASK(h, l) ((~0ULL >> (63 - (h))) & ~((1ULL << (l)) - 1))

enum pw_format {
	PW_FMT_X86 = 0,		/* x86 paging entries: guest PT, AMD NPT */
	PW_FMT_EPT = 1,		/* Intel EPT entries */
};

enum pw_status {
	PW_OK = 0,
	PW_ERR_NOT_PRESENT,	/* an entry on the path is not present */
	PW_ERR_RESERVED,	/* reserved bit set (NPT/x86: #PF RSVD) */
	PW_ERR_MISCONFIG,	/* EPT misconfiguration */
	PW_ERR_READ,		/* the table page could not be read */
	PW_ERR_ADDR,		/* address out of range / non-canonical */
	PW_ERR_CONFIG,		/* bad walker configuration */
};

struct pw_cfg {
	u8 format;		/* enum pw_format */
	u8 levels;		/* 4 or 5 */
	u8 maxphyaddr;		/* physical address width of the entries */
	bool virt;		/* addr is a virtual address (canonical check) */
	u64 ign_mask;		/* entry bits to ignore (e.g. SME C-bit) */
};

struct pw_step {
	u64 table;		/* physical address of the table page */
	u64 entry;		/* raw entry */
	u16 index;
	u8 level;		/* 5..1 */
};

struct pw_result {
	u64 addr;		/* input address */
	u64 pa;			/* output physical address (frame + offset) */
	int status;		/* enum pw_status */
	u8 nr_steps;		/* entries read */
	u8 leaf_level;		/* 1 = 4K, 2 = 2M, 3 = 1G; 0 when failed */
	struct pw_step step[PW_MAX_LEVELS];
};

/* Reads the u64 at physical address @pa; returns false if unreadable. */
typedef bool (*pw_read_t)(void *ctx, u64 pa, u64 *val);

static inline unsigned int pw_shift(unsigned int level)
{
	return 12 + 9 * (level - 1);
}

static inline unsigned int pw_index(u64 addr, unsigned int level)
{
	return (addr >> pw_shift(level)) & 511;
}

static inline u64 pw_level_size(unsigned int level)
{
	return 1ULL << pw_shift(level);
}

static inline const char *pw_size_name(unsigned int leaf_level)
{
	switch (leaf_level) {
	case 1: return "4K";
	case 2: return "2M";
	case 3: return "1G";
	default: return "?";
	}
}

static inline const char *pw_status_name(int status)
{
	switch (status) {
	case PW_OK: return "ok";
	case PW_ERR_NOT_PRESENT: return "not-present";
	case PW_ERR_RESERVED: return "reserved-bit";
	case PW_ERR_MISCONFIG: return "ept-misconfig";
	case PW_ERR_READ: return "table-unreadable";
	case PW_ERR_ADDR: return "bad-address";
	case PW_ERR_CONFIG: return "bad-config";
	default: return "unknown";
	}
}

/* Is @addr valid input for a walk with @cfg? */
static inline bool pw_addr_ok(const struct pw_cfg *cfg, u64 addr)
{
	unsigned int bits = pw_shift(cfg->levels) + 9;	/* 48 or 57 */
	u64 top = addr >> (bits - 1);

	if (cfg->virt)	/* canonical: bits 63:bits-1 all equal */
		return top == 0 || top == (~0ULL >> (bits - 1));
	return (addr >> bits) == 0;
}

static inline bool pw_present(u8 format, u64 e)
{
	if (format == PW_FMT_EPT)
		return (e & 7) != 0;
	return e & 1;
}

/* Large-page bit (bit 7) in both formats. */
static inline bool pw_is_large(u64 e)
{
	return e & PW_BIT(7);
}

/*
 * Reserved bits of a present entry at @level; @leaf tells whether it maps
 * a page.  Returns PW_OK, PW_ERR_RESERVED or PW_ERR_MISCONFIG.
 */
static inline int pw_check_entry(const struct pw_cfg *cfg, u64 e,
				 unsigned int level, bool leaf)
{
	u64 rsvd = 0;
	int err = cfg->format == PW_FMT_EPT ? PW_ERR_MISCONFIG : PW_ERR_RESERVED;

	e &= ~cfg->ign_mask;
	if (cfg->maxphyaddr < 52)
		rsvd |= PW_GENMASK(51, cfg->maxphyaddr);
	if (level >= 4 && pw_is_large(e))
		return err;
	if (leaf && level == 2)
		rsvd |= PW_GENMASK(20, cfg->format == PW_FMT_EPT ? 12 : 13);
	if (leaf && level == 3)
		rsvd |= PW_GENMASK(29, cfg->format == PW_FMT_EPT ? 12 : 13);
	if (e & rsvd)
		return err;

	if (cfg->format == PW_FMT_EPT) {
		unsigned int mt = (e >> 3) & 7;

		if ((e & 3) == 2)	/* write without read */
			return err;
		if (leaf && (mt == 2 || mt == 3 || mt == 7))
			return err;
		if (!leaf && (e & PW_GENMASK(6, 3)))
			return err;
	}
	return PW_OK;
}

/*
 * Walk @addr from the table at @root.  Always fills @res (steps read so far
 * on error) and returns res->status.  Never reads more than cfg->levels
 * entries, so cycles in the tables cannot hang it.
 */
static inline int pw_walk(const struct pw_cfg *cfg, u64 root, u64 addr,
			  pw_read_t read, void *ctx, struct pw_result *res)
{
	u64 table = root & PW_ADDR_MASK & ~cfg->ign_mask;
	unsigned int level;

	res->addr = addr;
	res->pa = 0;
	res->nr_steps = 0;
	res->leaf_level = 0;
	res->status = PW_ERR_CONFIG;
	if ((cfg->levels != 4 && cfg->levels != 5) ||
	    (cfg->format != PW_FMT_X86 && cfg->format != PW_FMT_EPT) ||
	    cfg->maxphyaddr < 32 || cfg->maxphyaddr > 52)
		return res->status;
	res->status = PW_ERR_ADDR;
	if (!pw_addr_ok(cfg, addr))
		return res->status;

	for (level = cfg->levels; level >= 1; level--) {
		struct pw_step *s = &res->step[res->nr_steps];
		bool leaf;
		u64 e;

		s->table = table;
		s->level = level;
		s->index = pw_index(addr, level);
		s->entry = 0;
		if (!read(ctx, table + 8ULL * s->index, &e)) {
			res->status = PW_ERR_READ;
			return res->status;
		}
		s->entry = e;
		res->nr_steps++;
		if (!pw_present(cfg->format, e)) {
			res->status = PW_ERR_NOT_PRESENT;
			return res->status;
		}
		leaf = level == 1 || ((level == 2 || level == 3) && pw_is_large(e));
		res->status = pw_check_entry(cfg, e, level, leaf);
		if (res->status != PW_OK)
			return res->status;
		e &= ~cfg->ign_mask;
		if (leaf) {
			u64 size = pw_level_size(level);

			res->leaf_level = level;
			res->pa = (e & PW_ADDR_MASK & ~(size - 1)) |
				  (addr & (size - 1));
			return PW_OK;
		}
		table = e & PW_ADDR_MASK;
	}
	res->status = PW_ERR_CONFIG;	/* not reached */
	return res->status;
}

/*
 * Decode the flags of @e at @level into @buf, e.g. "P RW US A D PS NX" for
 * x86/NPT or "R W X WB IPAT LG A D" for EPT.
 */
static inline void pw_decode(u8 format, u64 e, unsigned int level,
			     char *buf, size_t len)
{
	static const char * const mt_name[8] = {
		"UC", "WC", "MT2", "MT3", "WT", "WP", "WB", "MT7" };
	bool leaf = level == 1 || ((level == 2 || level == 3) && pw_is_large(e));
	size_t n = 0;

#define PW_PUT(cond, str) do {						\
		if ((cond) && n < len)					\
			n += snprintf(buf + n, len - n, "%s%s",	\
				      n ? " " : "", str);		\
	} while (0)

	if (len)
		buf[0] = '\0';
	if (format == PW_FMT_EPT) {
		PW_PUT(e & PW_BIT(0), "R");
		PW_PUT(e & PW_BIT(1), "W");
		PW_PUT(e & PW_BIT(2), "X");
		PW_PUT(leaf && pw_present(format, e), mt_name[(e >> 3) & 7]);
		PW_PUT(leaf && (e & PW_BIT(6)), "IPAT");
		PW_PUT(level > 1 && pw_is_large(e), "LG");
		PW_PUT(e & PW_BIT(8), "A");
		PW_PUT(leaf && (e & PW_BIT(9)), "D");
		PW_PUT(e & PW_BIT(10), "UX");
		PW_PUT(e & PW_BIT(63), "SVE");
	} else {
		PW_PUT(e & PW_BIT(0), "P");
		PW_PUT(e & PW_BIT(1), "RW");
		PW_PUT(e & PW_BIT(2), "US");
		PW_PUT(e & PW_BIT(3), "PWT");
		PW_PUT(e & PW_BIT(4), "PCD");
		PW_PUT(e & PW_BIT(5), "A");
		PW_PUT(leaf && (e & PW_BIT(6)), "D");
		PW_PUT(level > 1 && pw_is_large(e), "PS");
		PW_PUT(level == 1 && (e & PW_BIT(7)), "PAT");
		PW_PUT(level > 1 && leaf && (e & PW_BIT(12)), "PAT");
		PW_PUT(leaf && (e & PW_BIT(8)), "G");
		PW_PUT(e & PW_BIT(63), "NX");
	}
	if (n == 0 && len > 1)
		snprintf(buf, len, "-");
#undef PW_PUT
}

#endif /* _PW_WALK_H */
