/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace unit tests for walker/pw_walk.h.
 *
 * Page tables are built in a fake "physical memory" (a hash of 4K pages at
 * chosen physical addresses; reads of unbacked addresses fail).  Expected
 * values are computed by the tests from the way the tables were built
 * (chosen indices, chosen frames), never with the walker's own helpers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pw_walk.h"

/* ------------------------------------------------------------------ */
/* Tiny assertion framework                                            */
/* ------------------------------------------------------------------ */

static unsigned long n_tests, n_checks, n_failures;
static const char *cur_test = "?";
static unsigned long max_reported = 50;	/* failure messages printed */

static void fail_hdr(const char *file, int line)
{
	n_failures++;
	if (n_failures <= max_reported)
		fprintf(stderr, "%s:%d: [%s] FAIL: ", file, line, cur_test);
	else if (n_failures == max_reported + 1)
		fprintf(stderr, "(further failure messages suppressed)\n");
}

#define SHOW (n_failures <= max_reported)

/*
 * The checks are out-of-line functions so that the thousands of uses stay
 * cheap to compile (notably with the sanitizers).
 */
static void check_true(const char *file, int line, const char *expr, bool ok)
{
	n_checks++;
	if (ok)
		return;
	fail_hdr(file, line);
	if (SHOW)
		fprintf(stderr, "%s\n", expr);
}

static void check_eq(const char *file, int line, const char *ea,
		     const char *eb, uint64_t a, uint64_t b)
{
	n_checks++;
	if (a == b)
		return;
	fail_hdr(file, line);
	if (SHOW)
		fprintf(stderr, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64 "\n",
			ea, eb, a, b);
}

static void check_status(const char *file, int line, const char *ea,
			 const char *eb, int a, int b)
{
	n_checks++;
	if (a == b)
		return;
	fail_hdr(file, line);
	if (SHOW)
		fprintf(stderr, "%s == %s: %d (%s) != %d (%s)\n", ea, eb,
			a, pw_status_name(a), b, pw_status_name(b));
}

static void check_str(const char *file, int line, const char *ea,
		      const char *eb, const char *a, const char *b)
{
	n_checks++;
	if (strcmp(a, b) == 0)
		return;
	fail_hdr(file, line);
	if (SHOW)
		fprintf(stderr, "%s == %s: \"%s\" != \"%s\"\n", ea, eb, a, b);
}

#define CHECK(cond) \
	check_true(__FILE__, __LINE__, #cond, (cond))
#define CHECK_EQ(a, b) \
	check_eq(__FILE__, __LINE__, #a, #b, (uint64_t)(a), (uint64_t)(b))
#define CHECK_STATUS(a, b) \
	check_status(__FILE__, __LINE__, #a, #b, (a), (b))
#define CHECK_STR(a, b) \
	check_str(__FILE__, __LINE__, #a, #b, (a), (b))

/* ------------------------------------------------------------------ */
/* Fake physical memory                                                */
/* ------------------------------------------------------------------ */

#define FM_SLOTS	4096		/* power of two */
#define FM_LOG		16

struct fmem {
	uint64_t key[FM_SLOTS];		/* (pa >> 12) + 1, 0 = empty */
	uint64_t *page[FM_SLOTS];
	unsigned int nr_pages;
	unsigned long nr_reads;
	unsigned long bad_reads;	/* misaligned reads */
	uint64_t log[FM_LOG];		/* addresses of the first reads */
};

static unsigned int fm_hash(uint64_t key)
{
	key *= 0x9e3779b97f4a7c15ULL;
	return (unsigned int)(key >> 40) & (FM_SLOTS - 1);
}

static uint64_t *fm_lookup(const struct fmem *m, uint64_t pa)
{
	uint64_t key = (pa >> 12) + 1;
	unsigned int h = fm_hash(key);

	while (m->key[h]) {
		if (m->key[h] == key)
			return m->page[h];
		h = (h + 1) & (FM_SLOTS - 1);
	}
	return NULL;
}

static uint64_t *fm_page(struct fmem *m, uint64_t pa)
{
	uint64_t key = (pa >> 12) + 1;
	unsigned int h = fm_hash(key);

	while (m->key[h]) {
		if (m->key[h] == key)
			return m->page[h];
		h = (h + 1) & (FM_SLOTS - 1);
	}
	if (m->nr_pages >= FM_SLOTS / 2) {
		fprintf(stderr, "fake memory full\n");
		exit(2);
	}
	m->key[h] = key;
	m->page[h] = calloc(512, sizeof(uint64_t));
	if (!m->page[h]) {
		perror("calloc");
		exit(2);
	}
	m->nr_pages++;
	return m->page[h];
}

static struct fmem *fm_new(void)
{
	struct fmem *m = calloc(1, sizeof(*m));

	if (!m) {
		perror("calloc");
		exit(2);
	}
	return m;
}

static void fm_free(struct fmem *m)
{
	unsigned int i;

	for (i = 0; i < FM_SLOTS; i++)
		free(m->page[i]);
	free(m);
}

/* Write entry @idx of the table page at @table (page allocated on demand). */
static void fm_set(struct fmem *m, uint64_t table, unsigned int idx,
		   uint64_t val)
{
	if (idx >= 512 || (table & 0xfff)) {
		fprintf(stderr, "fm_set: bad table 0x%" PRIx64 " idx %u\n",
			table, idx);
		exit(2);
	}
	fm_page(m, table)[idx] = val;
}

/* Test-side read (not counted). */
static bool fm_peek(const struct fmem *m, uint64_t pa, uint64_t *val)
{
	uint64_t *pg = fm_lookup(m, pa);

	if (!pg || (pa & 7))
		return false;
	*val = pg[(pa & 0xfff) >> 3];
	return true;
}

static void fm_clear_log(struct fmem *m)
{
	m->nr_reads = 0;
	m->bad_reads = 0;
}

/* The pw_read_t callback given to the walker. */
static bool fm_read(void *ctx, u64 pa, u64 *val)
{
	struct fmem *m = ctx;
	uint64_t *pg;

	if (m->nr_reads < FM_LOG)
		m->log[m->nr_reads] = pa;
	m->nr_reads++;
	if (pa & 7) {
		m->bad_reads++;
		return false;
	}
	pg = fm_lookup(m, pa);
	if (!pg)
		return false;
	*val = pg[(pa & 0xfff) >> 3];
	return true;
}

/* ------------------------------------------------------------------ */
/* Entry bits, written out independently of the walker                 */
/* ------------------------------------------------------------------ */

#define X_P	0x001ULL
#define X_RW	0x002ULL
#define X_US	0x004ULL
#define X_PWT	0x008ULL
#define X_PCD	0x010ULL
#define X_A	0x020ULL
#define X_D	0x040ULL
#define X_PS	0x080ULL
#define X_G	0x100ULL
#define X_PATL	0x1000ULL		/* PAT bit of 2M/1G leaves */
#define X_NX	0x8000000000000000ULL

#define E_R	0x001ULL
#define E_W	0x002ULL
#define E_X	0x004ULL
#define E_MT(t)	((uint64_t)(t) << 3)
#define E_IPAT	0x040ULL
#define E_LG	0x080ULL
#define E_A	0x100ULL
#define E_D	0x200ULL
#define E_UX	0x400ULL
#define E_SVE	0x8000000000000000ULL

#define SZ_4K	0x1000ULL
#define SZ_2M	0x200000ULL
#define SZ_1G	0x40000000ULL

static const uint64_t leaf_size[4] = { 0, SZ_4K, SZ_2M, SZ_1G };

/* Non-leaf / leaf flag sets used by the path builder. */
static uint64_t nonleaf_flags(int fmt)
{
	return fmt == PW_FMT_EPT ? (E_R | E_W | E_X | E_A) :
				   (X_P | X_RW | X_US | X_A);
}

static uint64_t leaf_flags(int fmt, int level)
{
	if (fmt == PW_FMT_EPT)
		return E_R | E_W | E_X | E_MT(6) | E_A | E_D |
		       (level > 1 ? E_LG : 0);
	return X_P | X_RW | X_A | X_D | X_NX | (level > 1 ? X_PS : 0);
}

/*
 * Address from per-level indices: idx[l] is the index at level l (1..5).
 * For virtual addresses the top bit is sign-extended.
 */
static uint64_t mkaddr(int levels, bool virt, const unsigned int idx[6],
		       uint64_t off)
{
	uint64_t a = off;

	a |= (uint64_t)idx[1] << 12;
	a |= (uint64_t)idx[2] << 21;
	a |= (uint64_t)idx[3] << 30;
	a |= (uint64_t)idx[4] << 39;
	if (levels == 5)
		a |= (uint64_t)idx[5] << 48;
	if (virt) {
		if (levels == 4 && (a & (1ULL << 47)))
			a |= 0xffff000000000000ULL;
		if (levels == 5 && (a & (1ULL << 56)))
			a |= 0xff00000000000000ULL;
	}
	return a;
}

/* One built path: table[l] is the table read at level l. */
struct path {
	int fmt, levels, leaf;
	unsigned int idx[6];
	uint64_t table[6];
	uint64_t entry[6];
	uint64_t frame;
};

static const uint64_t std_tables[6] = {
	0, 0x0000000000104000ULL, 0x0000000000103000ULL,
	0x0000000000102000ULL, 0x0000000000101000ULL,
	0x0000000000100000ULL,
};

/*
 * Build a path for @p->idx[] down to @p->leaf, using tables p->table[]
 * (std_tables when zero) and leaf frame p->frame.
 */
static void build_path(struct fmem *m, struct path *p)
{
	int l;

	for (l = p->levels; l >= 1; l--)
		if (!p->table[l])
			p->table[l] = std_tables[l];
	for (l = p->levels; l > p->leaf; l--) {
		p->entry[l] = p->table[l - 1] | nonleaf_flags(p->fmt);
		fm_set(m, p->table[l], p->idx[l], p->entry[l]);
	}
	p->entry[l] = p->frame | leaf_flags(p->fmt, l);
	fm_set(m, p->table[l], p->idx[l], p->entry[l]);
}

/* Replace the entry at @level of a built path. */
static void set_entry(struct fmem *m, struct path *p, int level, uint64_t e)
{
	p->entry[level] = e;
	fm_set(m, p->table[level], p->idx[level], e);
}

static struct pw_cfg mkcfg(int fmt, int levels, int maxphy, bool virt,
			   uint64_t ign)
{
	struct pw_cfg c;

	memset(&c, 0, sizeof(c));
	c.format = (u8)fmt;
	c.levels = (u8)levels;
	c.maxphyaddr = (u8)maxphy;
	c.virt = virt;
	c.ign_mask = ign;
	return c;
}

/* Run a walk with a poisoned result; check generic properties. */
static int do_walk(struct fmem *m, const struct pw_cfg *c, uint64_t root,
		   uint64_t addr, struct pw_result *r)
{
	int ret;

	memset(r, 0xa5, sizeof(*r));
	fm_clear_log(m);
	ret = pw_walk(c, root, addr, fm_read, m, r);
	CHECK_STATUS(ret, r->status);
	CHECK_EQ(r->addr, addr);
	CHECK(r->nr_steps <= PW_MAX_LEVELS);
	CHECK_EQ(m->bad_reads, 0);
	if (r->status != PW_OK) {
		CHECK_EQ(r->pa, 0);
		CHECK_EQ(r->leaf_level, 0);
	}
	return ret;
}

/*
 * Check that the walk read steps levels..(levels - nr + 1) of @p, each with
 * the right table, index, entry and level, and that the walker read exactly
 * those entries.
 */
static void check_steps(const struct fmem *m, const struct pw_result *r,
			const struct path *p, int nr)
{
	int k;

	CHECK_EQ(r->nr_steps, nr);
	if (r->nr_steps != nr)
		return;
	CHECK_EQ(m->nr_reads, (unsigned long)nr);
	for (k = 0; k < nr; k++) {
		int l = p->levels - k;

		CHECK_EQ(r->step[k].level, l);
		CHECK_EQ(r->step[k].table, p->table[l]);
		CHECK_EQ(r->step[k].index, p->idx[l]);
		CHECK_EQ(r->step[k].entry, p->entry[l]);
		if (k < FM_LOG)
			CHECK_EQ(m->log[k], p->table[l] + 8 * p->idx[l]);
	}
}

static void path_init(struct path *p, int fmt, int levels, int leaf)
{
	static const unsigned int def_idx[6] = { 0, 0x1ff, 0x000, 0x0f5,
						 0x1a3, 0x101 };

	memset(p, 0, sizeof(*p));
	p->fmt = fmt;
	p->levels = levels;
	p->leaf = leaf;
	memcpy(p->idx, def_idx, sizeof(p->idx));
	p->frame = leaf == 1 ? 0x12345000ULL :
		   leaf == 2 ? 0x7a400000ULL : 0x1c0000000ULL;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void test_helpers(void)
{
	uint64_t a;
	unsigned int l;

	CHECK_EQ(pw_shift(1), 12);
	CHECK_EQ(pw_shift(2), 21);
	CHECK_EQ(pw_shift(3), 30);
	CHECK_EQ(pw_shift(4), 39);
	CHECK_EQ(pw_shift(5), 48);
	CHECK_EQ(pw_level_size(1), 0x1000ULL);
	CHECK_EQ(pw_level_size(2), 0x200000ULL);
	CHECK_EQ(pw_level_size(3), 0x40000000ULL);
	CHECK_EQ(pw_level_size(4), 0x8000000000ULL);
	CHECK_EQ(pw_level_size(5), 0x1000000000000ULL);

	/* 3 << 39 | 5 << 30 | 7 << 21 | 9 << 12 | 0x123, written out */
	a = 0x0000018140e09123ULL;
	CHECK_EQ(pw_index(a, 5), 0);
	CHECK_EQ(pw_index(a, 4), 3);
	CHECK_EQ(pw_index(a, 3), 5);
	CHECK_EQ(pw_index(a, 2), 7);
	CHECK_EQ(pw_index(a, 1), 9);
	for (l = 1; l <= 5; l++)
		CHECK_EQ(pw_index(~0ULL, l), 511);
	CHECK_EQ(pw_index(0xffff800000000000ULL, 4), 256);
	CHECK_EQ(pw_index(0x01ff000000000000ULL, 5), 511);
	CHECK_EQ(pw_index(0x0001000000000000ULL, 5), 1);
	CHECK_EQ(pw_index(0x0001000000000000ULL, 4), 0);
	CHECK_EQ(pw_index(0x0000000000000fffULL, 1), 0);
	CHECK_EQ(pw_index(0x00000000001ff000ULL, 1), 511);
	CHECK_EQ(pw_index(0x00000000001ff000ULL, 2), 0);

	CHECK_STR(pw_size_name(1), "4K");
	CHECK_STR(pw_size_name(2), "2M");
	CHECK_STR(pw_size_name(3), "1G");
	CHECK_STR(pw_size_name(0), "?");
	CHECK_STR(pw_size_name(4), "?");
	CHECK_STR(pw_status_name(PW_OK), "ok");
	CHECK_STR(pw_status_name(PW_ERR_NOT_PRESENT), "not-present");
	CHECK_STR(pw_status_name(PW_ERR_RESERVED), "reserved-bit");
	CHECK_STR(pw_status_name(PW_ERR_MISCONFIG), "ept-misconfig");
	CHECK_STR(pw_status_name(PW_ERR_READ), "table-unreadable");
	CHECK_STR(pw_status_name(PW_ERR_ADDR), "bad-address");
	CHECK_STR(pw_status_name(PW_ERR_CONFIG), "bad-config");
	CHECK_STR(pw_status_name(99), "unknown");
	CHECK_STR(pw_status_name(-1), "unknown");

	CHECK_EQ(PW_GENMASK(51, 12), 0x000ffffffffff000ULL);
	CHECK_EQ(PW_GENMASK(63, 0), ~0ULL);
	CHECK_EQ(PW_GENMASK(20, 13), 0x1fe000ULL);
	CHECK_EQ(PW_ADDR_MASK, 0x000ffffffffff000ULL);
}

/* x86 4-level and 5-level walks to 4K leaves, both address halves. */
static void test_x86_4k(void)
{
	struct fmem *m = fm_new();
	struct pw_result r;
	struct pw_cfg c;
	struct path p;
	uint64_t addr;

	/* 4-level, kernel half: idx4 = 0x1a3 has bit 8 set -> bit 47 */
	path_init(&p, PW_FMT_X86, 4, 1);
	build_path(m, &p);
	addr = mkaddr(4, true, p.idx, 0xabc);
	CHECK_EQ(addr, 0xffffd1bd401ffabcULL);	/* by hand */
	c = mkcfg(PW_FMT_X86, 4, 46, true, 0);
	CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r), PW_OK);
	CHECK_EQ(r.pa, 0x12345abcULL);
	CHECK_EQ(r.leaf_level, 1);
	check_steps(m, &r, &p, 4);

	/* same mapping, user half address with idx4 = 0x0a3 */
	p.idx[4] = 0x0a3;
	build_path(m, &p);
	addr = mkaddr(4, true, p.idx, 0);
	CHECK_EQ(addr, 0x000051bd401ff000ULL);
	CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r), PW_OK);
	CHECK_EQ(r.pa, 0x12345000ULL);
	check_steps(m, &r, &p, 4);

	/* CR3 low flag bits (PWT/PCD) are not part of the table address */
	CHECK_STATUS(do_walk(m, &c, p.table[4] | 0x18, addr | 0xfff, &r),
		     PW_OK);
	CHECK_EQ(r.pa, 0x12345fffULL);
	CHECK_EQ(r.step[0].table, p.table[4]);

	/* 4K leaf with PAT (bit 7), G, protection key/ignored bits 62:52 */
	set_entry(m, &p, 1, 0x7ff0000000000000ULL | 0xabcdef000ULL |
		  X_P | X_PS | X_G | X_US);
	CHECK_STATUS(do_walk(m, &c, p.table[4], addr | 0x10, &r), PW_OK);
	CHECK_EQ(r.pa, 0xabcdef010ULL);
	CHECK_EQ(r.leaf_level, 1);
	check_steps(m, &r, &p, 4);

	/* 5-level: idx5 = 0x101 (bit 56 set -> sign-extended) */
	fm_free(m);
	m = fm_new();
	path_init(&p, PW_FMT_X86, 5, 1);
	build_path(m, &p);
	addr = mkaddr(5, true, p.idx, 0x008);
	CHECK_EQ(addr, 0xff01d1bd401ff008ULL);
	c = mkcfg(PW_FMT_X86, 5, 52, true, 0);
	CHECK_STATUS(do_walk(m, &c, p.table[5], addr, &r), PW_OK);
	CHECK_EQ(r.pa, 0x12345008ULL);
	CHECK_EQ(r.leaf_level, 1);
	check_steps(m, &r, &p, 5);

	/* 5-level, low half, idx5 = 0x0ff */
	p.idx[5] = 0x0ff;
	build_path(m, &p);
	addr = mkaddr(5, true, p.idx, 0xfff);
	CHECK_EQ(addr, 0x00ffd1bd401fffffULL);
	CHECK_STATUS(do_walk(m, &c, p.table[5], addr, &r), PW_OK);
	CHECK_EQ(r.pa, 0x12345fffULL);
	check_steps(m, &r, &p, 5);

	/* EPT 4-level and 5-level 4K as well (GPA walks, virt = false) */
	fm_free(m);
	m = fm_new();
	path_init(&p, PW_FMT_EPT, 4, 1);
	p.frame = 0x3fffffff000ULL;
	build_path(m, &p);
	addr = mkaddr(4, false, p.idx, 0x123);
	CHECK_EQ(addr, 0x0000d1bd401ff123ULL);
	c = mkcfg(PW_FMT_EPT, 4, 46, false, 0);
	CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r), PW_OK);
	CHECK_EQ(r.pa, 0x3fffffff123ULL);
	CHECK_EQ(r.leaf_level, 1);
	check_steps(m, &r, &p, 4);

	/* EPTP low bits (memtype, walk length, A/D enable) are ignored */
	CHECK_STATUS(do_walk(m, &c, p.table[4] | 0x5e, addr, &r), PW_OK);
	CHECK_EQ(r.step[0].table, p.table[4]);

	fm_free(m);
	m = fm_new();
	path_init(&p, PW_FMT_EPT, 5, 1);
	build_path(m, &p);
	addr = mkaddr(5, false, p.idx, 0x123);
	CHECK_EQ(addr, 0x0101d1bd401ff123ULL);
	c = mkcfg(PW_FMT_EPT, 5, 52, false, 0);
	CHECK_STATUS(do_walk(m, &c, p.table[5], addr, &r), PW_OK);
	CHECK_EQ(r.pa, 0x12345123ULL);
	check_steps(m, &r, &p, 5);
	fm_free(m);
}

/* 2M and 1G leaves in both formats, 4 and 5 levels. */
static void test_huge(void)
{
	int fmt, levels;

	for (fmt = 0; fmt <= 1; fmt++) {
		for (levels = 4; levels <= 5; levels++) {
			struct fmem *m = fm_new();
			struct pw_result r;
			struct pw_cfg c;
			struct path p;
			uint64_t addr;

			c = mkcfg(fmt, levels, 46, fmt == PW_FMT_X86, 0);

			/* 2M */
			path_init(&p, fmt, levels, 2);
			p.frame = 0x7a400000ULL;
			build_path(m, &p);
			addr = mkaddr(levels, c.virt, p.idx, 0xcde);
			CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, 0x7a400000ULL + 0x1ffcde);
			CHECK_EQ(r.leaf_level, 2);
			check_steps(m, &r, &p, levels - 1);

			/* index at level 1 is part of the offset */
			p.idx[1] = 0x155;
			addr = mkaddr(levels, c.virt, p.idx, 0x777);
			CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, 0x7a400000ULL + 0x155777);

			if (fmt == PW_FMT_X86) {
				/* PAT bit 12 of a 2M leaf is not address */
				set_entry(m, &p, 2, p.entry[2] | X_PATL);
				CHECK_STATUS(do_walk(m, &c, p.table[levels],
						     addr, &r), PW_OK);
				CHECK_EQ(r.pa, 0x7a400000ULL + 0x155777);
			}

			/* 1G */
			fm_free(m);
			m = fm_new();
			path_init(&p, fmt, levels, 3);
			p.frame = 0x1c0000000ULL;
			p.idx[2] = 0x1ff;
			p.idx[1] = 0x0aa;
			build_path(m, &p);
			addr = mkaddr(levels, c.virt, p.idx, 0xfed);
			CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, 0x1c0000000ULL + 0x3feaafedULL);
			CHECK_EQ(r.leaf_level, 3);
			check_steps(m, &r, &p, levels - 2);
			if (fmt == PW_FMT_X86) {
				set_entry(m, &p, 3, p.entry[3] | X_PATL);
				CHECK_STATUS(do_walk(m, &c, p.table[levels],
						     addr, &r), PW_OK);
				CHECK_EQ(r.pa, 0x1c0000000ULL + 0x3feaafedULL);
			}
			/* frame with high address bits (bit 45) */
			set_entry(m, &p, 3, 0x200000000000ULL |
				  leaf_flags(fmt, 3));
			CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, 0x200000000000ULL + 0x3feaafedULL);
			fm_free(m);
		}
	}
}

/* PS/LG bit at level 4 and 5. */
static void test_large_high_levels(void)
{
	int fmt, levels, l;

	for (fmt = 0; fmt <= 1; fmt++) {
		int err = fmt == PW_FMT_EPT ? PW_ERR_MISCONFIG :
					      PW_ERR_RESERVED;

		for (levels = 4; levels <= 5; levels++) {
			for (l = 4; l <= levels; l++) {
				struct fmem *m = fm_new();
				struct pw_result r;
				struct pw_cfg c;
				struct path p;
				uint64_t addr;

				c = mkcfg(fmt, levels, 46, false, 0);
				path_init(&p, fmt, levels, 1);
				build_path(m, &p);
				/* looks like a 512G leaf at 0 */
				set_entry(m, &p, l, leaf_flags(fmt, 2));
				addr = mkaddr(levels, false, p.idx, 0);
				CHECK_STATUS(do_walk(m, &c, p.table[levels],
						     addr, &r), err);
				check_steps(m, &r, &p, levels - l + 1);
				/* and as a non-leaf pointer with bit 7 */
				set_entry(m, &p, l, p.table[l - 1] |
					  nonleaf_flags(fmt) | 0x80);
				CHECK_STATUS(do_walk(m, &c, p.table[levels],
						     addr, &r), err);
				check_steps(m, &r, &p, levels - l + 1);
				fm_free(m);
			}
		}
	}
}

/* A non-present entry at each level, for each format and depth. */
static void test_not_present(void)
{
	int fmt, levels, leaf, l;

	for (fmt = 0; fmt <= 1; fmt++)
	for (levels = 4; levels <= 5; levels++)
	for (leaf = 1; leaf <= 3; leaf++)
	for (l = levels; l >= leaf; l--) {
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c;
		struct path p;
		uint64_t addr, e;

		c = mkcfg(fmt, levels, 46, true, 0);
		path_init(&p, fmt, levels, leaf);
		build_path(m, &p);
		/* clear only the present bit(s); the rest stays */
		e = p.entry[l] & ~(fmt == PW_FMT_EPT ? 7ULL : 1ULL);
		set_entry(m, &p, l, e);
		addr = mkaddr(levels, true, p.idx, 0x5a5);
		CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
			     PW_ERR_NOT_PRESENT);
		check_steps(m, &r, &p, levels - l + 1);

		/* an all-zero entry as well */
		set_entry(m, &p, l, 0);
		CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
			     PW_ERR_NOT_PRESENT);
		check_steps(m, &r, &p, levels - l + 1);
		fm_free(m);
	}
}

/* Address bits at and above MAXPHYADDR are reserved at every level. */
static void test_maxphyaddr(void)
{
	static const int widths[] = { 36, 39, 40, 46, 48, 51, 52 };
	int fmt, w, l, leaf;

	for (fmt = 0; fmt <= 1; fmt++) {
		int err = fmt == PW_FMT_EPT ? PW_ERR_MISCONFIG :
					      PW_ERR_RESERVED;

		for (w = 0; w < (int)(sizeof(widths) / sizeof(widths[0])); w++)
		for (leaf = 1; leaf <= 3; leaf++) {
			int mp = widths[w];
			struct fmem *m = fm_new();
			struct pw_result r;
			struct pw_cfg c;
			struct path p;
			uint64_t addr, hi = 1ULL << (mp - 1);

			c = mkcfg(fmt, 4, mp, false, 0);
			path_init(&p, fmt, 4, leaf);
			build_path(m, &p);
			addr = mkaddr(4, false, p.idx, 0x42);

			/* highest valid frame bit is fine in a leaf */
			set_entry(m, &p, leaf, (p.frame | hi) |
				  leaf_flags(fmt, leaf));
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, (p.frame | hi) +
				 (addr & (leaf_size[leaf] - 1)));
			set_entry(m, &p, leaf, p.frame | leaf_flags(fmt, leaf));

			if (mp == 52) {
				/* no reserved address bits at all */
				set_entry(m, &p, leaf, p.frame |
					  0x000ff00000000000ULL |
					  leaf_flags(fmt, leaf));
				CHECK_STATUS(do_walk(m, &c, p.table[4], addr,
						     &r), PW_OK);
				CHECK_EQ(r.pa, (p.frame |
						0x000ff00000000000ULL) +
					 (addr & (leaf_size[leaf] - 1)));
				fm_free(m);
				continue;
			}
			for (l = 4; l >= leaf; l--) {
				uint64_t saved = p.entry[l];

				/* bit maxphyaddr */
				set_entry(m, &p, l, saved | (1ULL << mp));
				CHECK_STATUS(do_walk(m, &c, p.table[4], addr,
						     &r), err);
				check_steps(m, &r, &p, 4 - l + 1);
				/* bit 51 */
				set_entry(m, &p, l, saved | (1ULL << 51));
				CHECK_STATUS(do_walk(m, &c, p.table[4], addr,
						     &r), err);
				check_steps(m, &r, &p, 4 - l + 1);
				set_entry(m, &p, l, saved);
			}
			/* bits 62:52 are not address bits: not reserved */
			for (l = 4; l >= leaf; l--) {
				uint64_t saved = p.entry[l];

				set_entry(m, &p, l, saved |
					  0x0010000000000000ULL);
				CHECK_STATUS(do_walk(m, &c, p.table[4], addr,
						     &r), PW_OK);
				set_entry(m, &p, l, saved);
			}
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, p.frame + (addr & (leaf_size[leaf] - 1)));
			fm_free(m);
		}
	}
}

/* Reserved low frame bits of 2M and 1G leaves. */
static void test_huge_reserved(void)
{
	int fmt, leaf, b;

	for (fmt = 0; fmt <= 1; fmt++)
	for (leaf = 2; leaf <= 3; leaf++) {
		int err = fmt == PW_FMT_EPT ? PW_ERR_MISCONFIG :
					      PW_ERR_RESERVED;
		int lo = fmt == PW_FMT_EPT ? 12 : 13;	/* x86: 12 is PAT */
		int hi = leaf == 2 ? 20 : 29;
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c;
		struct path p;
		uint64_t addr;

		c = mkcfg(fmt, 4, 46, false, 0);
		path_init(&p, fmt, 4, leaf);
		build_path(m, &p);
		addr = mkaddr(4, false, p.idx, 0x321);
		for (b = 12; b <= hi + 1; b++) {
			uint64_t e = p.frame | leaf_flags(fmt, leaf) |
				     (1ULL << b);
			int want = (b >= lo && b <= hi) ? err : PW_OK;

			set_entry(m, &p, leaf, e);
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     want);
			check_steps(m, &r, &p, 4 - leaf + 1);
			if (want == PW_OK) {
				/* bit 12 (x86 PAT) is dropped; hi + 1 is
				 * a frame bit */
				uint64_t f = p.frame;

				if (b == hi + 1)
					f |= 1ULL << b;
				CHECK_EQ(r.pa, f + (addr & (leaf_size[leaf] -
							   1)));
			}
		}
		/*
		 * The same bits in a non-leaf entry at that level are plain
		 * table-address bits: the walk goes on to a table there.
		 */
		if (leaf == 2) {
			uint64_t t = 0x00000000005fe000ULL;	/* bits 13..20 */
			unsigned int i1 = 0x077;

			set_entry(m, &p, 2, t | nonleaf_flags(fmt));
			fm_set(m, t, i1, 0x88888000ULL | leaf_flags(fmt, 1));
			p.idx[1] = i1;
			addr = mkaddr(4, false, p.idx, 0x321);
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     PW_OK);
			CHECK_EQ(r.pa, 0x88888321ULL);
			CHECK_EQ(r.leaf_level, 1);
			CHECK_EQ(r.step[3].table, t);
		}
		fm_free(m);
	}
}

/* EPT permission and memory-type checks. */
static void test_ept_misconfig(void)
{
	int leaf, l, perm, mt;

	for (leaf = 1; leaf <= 3; leaf++) {
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c;
		struct path p;
		uint64_t addr, want_pa;

		c = mkcfg(PW_FMT_EPT, 4, 46, false, 0);
		path_init(&p, PW_FMT_EPT, 4, leaf);
		build_path(m, &p);
		addr = mkaddr(4, false, p.idx, 0x9);
		want_pa = p.frame + (addr & (leaf_size[leaf] - 1));

		/* permissions at the leaf */
		for (perm = 1; perm <= 7; perm++) {
			uint64_t e = p.frame | (uint64_t)perm | E_MT(6) |
				     (leaf > 1 ? E_LG : 0);
			bool bad = (perm & 3) == 2;	/* W without R */

			set_entry(m, &p, leaf, e);
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     bad ? PW_ERR_MISCONFIG : PW_OK);
			check_steps(m, &r, &p, 4 - leaf + 1);
			if (!bad)
				CHECK_EQ(r.pa, want_pa);
		}
		/* execute-only leaf is valid */
		set_entry(m, &p, leaf, p.frame | E_X | E_MT(0) |
			  (leaf > 1 ? E_LG : 0));
		CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r), PW_OK);
		CHECK_EQ(r.pa, want_pa);
		CHECK_EQ(r.leaf_level, leaf);

		/* memory types at the leaf */
		for (mt = 0; mt <= 7; mt++) {
			bool bad = mt == 2 || mt == 3 || mt == 7;

			set_entry(m, &p, leaf, p.frame | E_R | E_W | E_X |
				  E_MT(mt) | E_IPAT | (leaf > 1 ? E_LG : 0));
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     bad ? PW_ERR_MISCONFIG : PW_OK);
			check_steps(m, &r, &p, 4 - leaf + 1);
		}
		set_entry(m, &p, leaf, p.frame | leaf_flags(PW_FMT_EPT, leaf));

		/* non-leaf entries above the leaf */
		for (l = 4; l > leaf; l--) {
			uint64_t saved = p.entry[l];
			int b;

			for (perm = 1; perm <= 7; perm++) {
				bool bad = (perm & 3) == 2;

				set_entry(m, &p, l, p.table[l - 1] |
					  (uint64_t)perm);
				CHECK_STATUS(do_walk(m, &c, p.table[4], addr,
						     &r),
					     bad ? PW_ERR_MISCONFIG : PW_OK);
				if (bad)
					check_steps(m, &r, &p, 4 - l + 1);
			}
			/* bits 6:3 reserved in non-leaf entries */
			for (b = 3; b <= 6; b++) {
				set_entry(m, &p, l, saved | (1ULL << b));
				CHECK_STATUS(do_walk(m, &c, p.table[4], addr,
						     &r), PW_ERR_MISCONFIG);
				check_steps(m, &r, &p, 4 - l + 1);
			}
			/* A (8), UX (10), ignored 11, SVE (63) are fine */
			set_entry(m, &p, l, saved | E_A | E_UX | 0x800 |
				  E_SVE);
			CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r),
				     PW_OK);
			set_entry(m, &p, l, saved);
		}
		CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r), PW_OK);
		CHECK_EQ(r.pa, want_pa);
		fm_free(m);
	}

	/* Bit 7 of an EPT 4K entry is ignored (not "large") */
	{
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c = mkcfg(PW_FMT_EPT, 4, 46, false, 0);
		struct path p;
		uint64_t addr;

		path_init(&p, PW_FMT_EPT, 4, 1);
		build_path(m, &p);
		set_entry(m, &p, 1, p.frame | E_R | E_MT(6) | 0x80);
		addr = mkaddr(4, false, p.idx, 0x1);
		CHECK_STATUS(do_walk(m, &c, p.table[4], addr, &r), PW_OK);
		CHECK_EQ(r.pa, p.frame + 1);
		fm_free(m);
	}
}

/* Canonical checks for virtual addresses, range checks for GPAs. */
static void test_addr_checks(void)
{
	static const struct {
		int levels;
		bool virt;
		uint64_t addr;
		bool ok;
	} cases[] = {
		{ 4, true, 0x0000000000000000ULL, true },
		{ 4, true, 0x00007fffffffffffULL, true },
		{ 4, true, 0x0000800000000000ULL, false },
		{ 4, true, 0x0000ffffffffffffULL, false },
		{ 4, true, 0xffff7fffffffffffULL, false },
		{ 4, true, 0xffff800000000000ULL, true },
		{ 4, true, 0xffffffffffffffffULL, true },
		{ 4, true, 0x8000000000000000ULL, false },
		{ 4, true, 0x0001000000000000ULL, false },
		{ 4, true, 0xfffe800000000000ULL, false },
		{ 5, true, 0x0000800000000000ULL, true },
		{ 5, true, 0x00ffffffffffffffULL, true },
		{ 5, true, 0x0100000000000000ULL, false },
		{ 5, true, 0xfeffffffffffffffULL, false },
		{ 5, true, 0xff00000000000000ULL, true },
		{ 5, true, 0xffff800000000000ULL, true },
		{ 5, true, 0x8000000000000000ULL, false },
		{ 5, true, 0x7fffffffffffffffULL, false },
		{ 4, false, 0x0000ffffffffffffULL, true },
		{ 4, false, 0x0001000000000000ULL, false },
		{ 4, false, 0xffff800000000000ULL, false },
		{ 4, false, 0x8000000000000000ULL, false },
		{ 5, false, 0x0001000000000000ULL, true },
		{ 5, false, 0x01ffffffffffffffULL, true },
		{ 5, false, 0x0200000000000000ULL, false },
		{ 5, false, 0xff00000000000000ULL, false },
	};
	unsigned int i;
	int fmt;

	for (fmt = 0; fmt <= 1; fmt++)
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c = mkcfg(fmt, cases[i].levels, 52,
					cases[i].virt, 0);
		int ret;

		/* empty root table: a valid address is "not present" */
		fm_page(m, 0x1000);
		ret = do_walk(m, &c, 0x1000, cases[i].addr, &r);
		if (cases[i].ok) {
			CHECK_STATUS(ret, PW_ERR_NOT_PRESENT);
			CHECK_EQ(r.nr_steps, 1);
			CHECK_EQ(m->nr_reads, 1);
		} else {
			if (ret != PW_ERR_ADDR && SHOW)
				fprintf(stderr, "case %u: addr 0x%" PRIx64
					"\n", i, cases[i].addr);
			CHECK_STATUS(ret, PW_ERR_ADDR);
			CHECK_EQ(r.nr_steps, 0);
			CHECK_EQ(m->nr_reads, 0);
		}
		fm_free(m);
	}

	/* 0x0000800000000000 maps fine with 5-level paging */
	{
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c = mkcfg(PW_FMT_X86, 5, 46, true, 0);
		struct path p;

		path_init(&p, PW_FMT_X86, 5, 1);
		p.idx[5] = 0;
		p.idx[4] = 0x100;
		p.idx[3] = 0;
		p.idx[2] = 0;
		p.idx[1] = 0;
		build_path(m, &p);
		CHECK_STATUS(do_walk(m, &c, p.table[5],
				     0x0000800000000000ULL, &r), PW_OK);
		CHECK_EQ(r.pa, 0x12345000ULL);
		check_steps(m, &r, &p, 5);
		fm_free(m);
	}
}

/* Unreadable tables. */
static void test_unreadable(void)
{
	int fmt, levels, l;

	for (fmt = 0; fmt <= 1; fmt++)
	for (levels = 4; levels <= 5; levels++) {
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c = mkcfg(fmt, levels, 46, false, 0);
		struct path p;
		uint64_t addr;

		path_init(&p, fmt, levels, 1);
		build_path(m, &p);
		addr = mkaddr(levels, false, p.idx, 0x10);

		/* root not backed */
		CHECK_STATUS(do_walk(m, &c, 0x7770000ULL, addr, &r),
			     PW_ERR_READ);
		CHECK_EQ(r.nr_steps, 0);
		CHECK_EQ(m->nr_reads, 1);
		CHECK_EQ(m->log[0], 0x7770000ULL + 8 * p.idx[levels]);

		/* an entry at level l points at an unbacked table */
		for (l = levels; l >= 2; l--) {
			uint64_t saved = p.entry[l];
			uint64_t hole = 0x0000000bad000000ULL;

			set_entry(m, &p, l, hole | nonleaf_flags(fmt));
			CHECK_STATUS(do_walk(m, &c, p.table[levels], addr,
					     &r), PW_ERR_READ);
			/* the steps that were read are reported */
			CHECK_EQ(r.nr_steps, levels - l + 1);
			CHECK_EQ(m->nr_reads, (unsigned long)(levels - l + 2));
			CHECK_EQ(m->log[levels - l + 1],
				 hole + 8 * p.idx[l - 1]);
			{
				int k;

				for (k = 0; k < levels - l + 1; k++) {
					int lv = levels - k;

					CHECK_EQ(r.step[k].level, lv);
					CHECK_EQ(r.step[k].table, p.table[lv]);
					CHECK_EQ(r.step[k].index, p.idx[lv]);
					CHECK_EQ(r.step[k].entry, p.entry[lv]);
				}
			}
			set_entry(m, &p, l, saved);
		}
		CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r), PW_OK);
		fm_free(m);
	}
}

/* Tables that point back to themselves must not hang the walker. */
static void test_cycles(void)
{
	int fmt, levels;

	for (fmt = 0; fmt <= 1; fmt++)
	for (levels = 4; levels <= 5; levels++) {
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c = mkcfg(fmt, levels, 46, false, 0);
		const uint64_t root = 0x5000, other = 0x6000;
		unsigned int idx[6] = { 0, 0x1f0, 0x1f0, 0x1f0, 0x1f0, 0x1f0 };
		uint64_t addr = mkaddr(levels, false, idx, 0x3);
		int k;

		/* self-loop: root[0x1f0] -> root */
		fm_set(m, root, 0x1f0, root | nonleaf_flags(fmt));
		CHECK_STATUS(do_walk(m, &c, root, addr, &r), PW_OK);
		CHECK(r.nr_steps <= levels);
		CHECK_EQ(r.nr_steps, levels);
		CHECK_EQ(m->nr_reads, (unsigned long)levels);
		/* the last self-pointer is read as a 4K leaf */
		CHECK_EQ(r.leaf_level, 1);
		CHECK_EQ(r.pa, root + 3);
		for (k = 0; k < r.nr_steps && k < levels; k++) {
			CHECK_EQ(r.step[k].table, root);
			CHECK_EQ(r.step[k].index, 0x1f0);
			CHECK_EQ(r.step[k].level, levels - k);
		}

		/* two-table loop: root[0x1f0] -> other, other[0x1f0] -> root */
		fm_set(m, root, 0x1f0, other | nonleaf_flags(fmt));
		fm_set(m, other, 0x1f0, root | nonleaf_flags(fmt));
		CHECK_STATUS(do_walk(m, &c, root, addr, &r), PW_OK);
		CHECK(r.nr_steps <= levels);
		CHECK_EQ(m->nr_reads, (unsigned long)levels);
		for (k = 0; k < r.nr_steps && k < levels; k++)
			CHECK_EQ(r.step[k].table, (k & 1) ? other : root);

		/* a loop that ends in a non-present entry at level 1 */
		fm_set(m, root, 0x1f0, root | nonleaf_flags(fmt));
		idx[1] = 0x1f1;
		addr = mkaddr(levels, false, idx, 0x3);
		CHECK_STATUS(do_walk(m, &c, root, addr, &r),
			     PW_ERR_NOT_PRESENT);
		CHECK_EQ(r.nr_steps, levels);
		CHECK_EQ(m->nr_reads, (unsigned long)levels);
		fm_free(m);
	}
}

/* SME-like encryption bit in every entry, ignored through ign_mask. */
static void test_ign_mask(void)
{
	const uint64_t cbit = 1ULL << 47;
	int fmt, levels, leaf;

	for (fmt = 0; fmt <= 1; fmt++)
	for (levels = 4; levels <= 5; levels++)
	for (leaf = 1; leaf <= 3; leaf++) {
		int err = fmt == PW_FMT_EPT ? PW_ERR_MISCONFIG :
					      PW_ERR_RESERVED;
		struct fmem *m = fm_new();
		struct pw_result r;
		struct pw_cfg c = mkcfg(fmt, levels, 46, fmt == PW_FMT_X86,
					cbit);
		struct path p;
		uint64_t addr;
		int l;

		path_init(&p, fmt, levels, leaf);
		build_path(m, &p);
		for (l = levels; l >= leaf; l--)
			set_entry(m, &p, l, p.entry[l] | cbit);
		addr = mkaddr(levels, c.virt, p.idx, 0x2c);

		/* C-bit in the root as well (like CR3 with SME) */
		CHECK_STATUS(do_walk(m, &c, p.table[levels] | cbit, addr, &r),
			     PW_OK);
		CHECK_EQ(r.pa, p.frame + (addr & (leaf_size[leaf] - 1)));
		CHECK_EQ(r.leaf_level, leaf);
		check_steps(m, &r, &p, levels - leaf + 1);
		CHECK_EQ(r.step[0].table, p.table[levels]);

		/* without ign_mask: bit 47 >= maxphyaddr 46 is reserved */
		c.ign_mask = 0;
		CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r), err);
		check_steps(m, &r, &p, 1);
		/* ... and a root with the C-bit is a table that is absent */
		CHECK_STATUS(do_walk(m, &c, p.table[levels] | cbit, addr, &r),
			     PW_ERR_READ);
		CHECK_EQ(r.nr_steps, 0);
		CHECK_EQ(m->log[0], (p.table[levels] | cbit) +
			 8 * p.idx[levels]);

		/* with maxphyaddr 48 the bit is a real address bit */
		c.maxphyaddr = 48;
		CHECK_STATUS(do_walk(m, &c, p.table[levels], addr, &r),
			     PW_ERR_READ);
		CHECK_EQ(r.nr_steps, 1);
		fm_free(m);
	}
}

/* Invalid configurations. */
static void test_bad_config(void)
{
	static const struct {
		int fmt, levels, maxphy;
	} bad[] = {
		{ PW_FMT_X86, 3, 46 }, { PW_FMT_EPT, 3, 46 },
		{ PW_FMT_X86, 0, 46 }, { PW_FMT_X86, 6, 46 },
		{ PW_FMT_EPT, 2, 46 }, { PW_FMT_X86, 255, 46 },
		{ 7, 4, 46 }, { 2, 4, 46 }, { 255, 5, 46 },
		{ PW_FMT_X86, 4, 0 }, { PW_FMT_X86, 4, 31 },
		{ PW_FMT_EPT, 4, 53 }, { PW_FMT_X86, 5, 64 },
		{ PW_FMT_X86, 5, 255 },
	};
	static const struct {
		int fmt, levels, maxphy;
	} good[] = {
		{ PW_FMT_X86, 4, 32 }, { PW_FMT_EPT, 5, 52 },
		{ PW_FMT_X86, 5, 52 }, { PW_FMT_EPT, 4, 32 },
	};
	struct fmem *m = fm_new();
	struct pw_result r;
	unsigned int i;

	fm_page(m, 0x1000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pw_cfg c = mkcfg(bad[i].fmt, bad[i].levels,
					bad[i].maxphy, false, 0);

		CHECK_STATUS(do_walk(m, &c, 0x1000, 0x1000, &r),
			     PW_ERR_CONFIG);
		CHECK_EQ(r.nr_steps, 0);
		CHECK_EQ(m->nr_reads, 0);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct pw_cfg c = mkcfg(good[i].fmt, good[i].levels,
					good[i].maxphy, false, 0);

		CHECK_STATUS(do_walk(m, &c, 0x1000, 0x1000, &r),
			     PW_ERR_NOT_PRESENT);
	}
	fm_free(m);
}

static void decode(u8 fmt, u64 e, unsigned int level, char *buf, size_t len)
{
	pw_decode(fmt, e, level, buf, len);
}

/* pw_decode strings. */
static void test_decode(void)
{
	char buf[128];
	static const struct {
		u8 fmt;
		uint64_t e;
		unsigned int level;
		const char *s;
	} cases[] = {
		/* x86 */
		{ PW_FMT_X86, 0x8000000000000063ULL, 1, "P RW A D NX" },
		{ PW_FMT_X86, 0x0000000012345067ULL, 1, "P RW US A D" },
		{ PW_FMT_X86, 0x00000000123451ffULL, 1,
		  "P RW US PWT PCD A D PAT G" },
		{ PW_FMT_X86, 0x0000000000000027ULL, 4, "P RW US A" },
		/* D and G mean nothing in a non-leaf entry */
		{ PW_FMT_X86, 0x0000000000102167ULL, 3, "P RW US A" },
		{ PW_FMT_X86, 0x80000000000010e3ULL, 2,
		  "P RW A D PS PAT NX" },
		{ PW_FMT_X86, 0x00000001c00001e1ULL, 3, "P A D PS G" },
		/* bit 12 of a non-leaf entry is an address bit */
		{ PW_FMT_X86, 0x0000000000001001ULL, 2, "P" },
		{ PW_FMT_X86, 0x0000000000000000ULL, 1, "-" },
		{ PW_FMT_X86, 0x0000000012345000ULL, 1, "-" },
		{ PW_FMT_X86, 0x8000000000000000ULL, 1, "NX" },
		/* EPT: 0x337 = R W X, MT 6 (WB), no IPAT, A, D */
		{ PW_FMT_EPT, 0x0000000012345337ULL, 1, "R W X WB A D" },
		{ PW_FMT_EPT, 0x000000007a4003b7ULL, 2,
		  "R W X WB LG A D" },
		{ PW_FMT_EPT, 0x0000000000000077ULL, 1, "R W X WB IPAT" },
		{ PW_FMT_EPT, 0x0000000000000004ULL, 1, "X UC" },
		{ PW_FMT_EPT, 0x0000000000000009ULL, 1, "R WC" },
		{ PW_FMT_EPT, 0x0000000000000021ULL, 1, "R WT" },
		{ PW_FMT_EPT, 0x0000000000000029ULL, 1, "R WP" },
		{ PW_FMT_EPT, 0x0000000000000011ULL, 1, "R MT2" },
		{ PW_FMT_EPT, 0x0000000000000019ULL, 1, "R MT3" },
		{ PW_FMT_EPT, 0x0000000000000039ULL, 1, "R MT7" },
		{ PW_FMT_EPT, 0x8000000000000405ULL, 1, "R X UC UX SVE" },
		/* non-leaf: no memtype, no D */
		{ PW_FMT_EPT, 0x0000000000101307ULL, 4, "R W X A" },
		{ PW_FMT_EPT, 0x0000000000102307ULL, 3, "R W X A" },
		{ PW_FMT_EPT, 0x0000000000000000ULL, 1, "-" },
		/* not present: memtype bits are not decoded */
		{ PW_FMT_EPT, 0x0000000000000030ULL, 1, "-" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		decode(cases[i].fmt, cases[i].e, cases[i].level, buf,
		       sizeof(buf));
		if (strcmp(buf, cases[i].s) && SHOW)
			fprintf(stderr, "decode case %u: e=0x%" PRIx64 "\n",
				i, cases[i].e);
		CHECK_STR(buf, cases[i].s);
	}

	/* truncation: always NUL-terminated, never past len */
	memset(buf, 'x', sizeof(buf));
	decode(PW_FMT_X86, 0x8000000000000063ULL, 1, buf, 4);
	CHECK_STR(buf, "P R");
	CHECK_EQ(buf[4], 'x');
	memset(buf, 'x', sizeof(buf));
	decode(PW_FMT_X86, 0x8000000000000063ULL, 1, buf, 1);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'x');
	memset(buf, 'x', sizeof(buf));
	decode(PW_FMT_X86, 0x8000000000000063ULL, 1, buf, 0);
	CHECK_EQ(buf[0], 'x');
	memset(buf, 'x', sizeof(buf));
	decode(PW_FMT_X86, 0, 1, buf, 2);
	CHECK_STR(buf, "-");
	memset(buf, 'x', sizeof(buf));
	decode(PW_FMT_EPT, 0x0000000012345337ULL, 1, buf, 12);
	CHECK_STR(buf, "R W X WB A ");
	CHECK_EQ(buf[12], 'x');
	memset(buf, 'x', sizeof(buf));
	decode(PW_FMT_EPT, 0x0000000012345337ULL, 1, buf, 13);
	CHECK_STR(buf, "R W X WB A D");
}

/* ------------------------------------------------------------------ */
/* Randomized self-consistency test                                    */
/* ------------------------------------------------------------------ */

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_n(unsigned int n)
{
	return (unsigned int)((rnd() >> 32) % n);
}

#define R_PAGES	48

static uint64_t r_pool[R_PAGES];

static uint64_t rnd_pool_page(void)
{
	return r_pool[rnd_n(R_PAGES)];
}

static uint64_t rnd_flags(int fmt)
{
	uint64_t f = rnd() & 0x1f7eULL & ~(uint64_t)0x80;	/* no PS */

	if (fmt == PW_FMT_EPT) {
		static const uint64_t perms[] = {
			1, 3, 5, 7, 7, 7, 7, 7, 7, 4, 2, 6 };
		uint64_t mt;

		f = perms[rnd_n(12)] | (rnd() & 0xf00ULL);
		mt = rnd_n(8) ? 0 : rnd_n(8);	/* mostly 0: non-leaf ok */
		f |= mt << 3;
		if (!rnd_n(8))
			f |= E_IPAT;
	} else {
		f |= X_P;
		if (!rnd_n(4))
			f |= X_NX;
	}
	return f;
}

/*
 * A random entry.  Every rnd() call is its own statement so that the
 * stream does not depend on the compiler's evaluation order.
 */
static uint64_t rnd_entry(int fmt)
{
	unsigned int k = rnd_n(100);
	uint64_t e;

	if (k < 62) {				/* pointer into the pool */
		e = rnd_pool_page();
		return e | rnd_flags(fmt);
	}
	if (k < 77) {				/* huge leaf */
		e = rnd() & 0x00000fffc0000000ULL;
		if (rnd_n(2))
			e |= rnd() & 0x3fe00000ULL;
		if (!rnd_n(8))
			e |= rnd() & 0x1ff000ULL;	/* maybe reserved */
		e |= rnd_flags(fmt) | 0x80;
		if (fmt == PW_FMT_EPT && rnd_n(2))
			e = (e & ~0x38ULL) | E_MT(6);
		return e;
	}
	if (k < 85)				/* not present */
		return rnd() & ~(fmt == PW_FMT_EPT ? 7ULL : 1ULL);
	if (k < 90) {				/* unbacked table */
		e = (rnd() & 0x0000000ffffff000ULL) | 0x1000000000ULL;
		return e | rnd_flags(fmt);
	}
	if (k < 95) {				/* C-bit / high bits */
		e = rnd_pool_page();
		e |= rnd_flags(fmt);
		return e | (1ULL << (40 + rnd_n(12)));
	}
	return rnd();				/* garbage */
}

/* Independent statement of the architectural rules, bit by bit. */
static bool ref_present(int fmt, uint64_t e)
{
	if (fmt == PW_FMT_EPT)
		return (e & 1) || (e & 2) || (e & 4);
	return (e & 1) != 0;
}

static bool ref_bad(int fmt, uint64_t e, int level, int maxphy, uint64_t ign)
{
	uint64_t v = e & ~ign;
	bool large = (v >> 7) & 1;
	bool leaf = level == 1 || (large && level <= 3);
	int b;

	if (level >= 4 && large)
		return true;
	for (b = maxphy; b <= 51; b++)
		if ((v >> b) & 1)
			return true;
	if (leaf && level >= 2) {
		int lo = fmt == PW_FMT_EPT ? 12 : 13;
		int hi = level == 2 ? 20 : 29;

		for (b = lo; b <= hi; b++)
			if ((v >> b) & 1)
				return true;
	}
	if (fmt == PW_FMT_EPT) {
		bool r = v & 1, w = (v >> 1) & 1;
		unsigned int mt = (unsigned int)(v >> 3) & 7;

		if (w && !r)
			return true;
		if (leaf && (mt == 2 || mt == 3 || mt == 7))
			return true;
		if (!leaf && ((v >> 3) & 0xf))
			return true;
	}
	return false;
}

static void check_random_walk(struct fmem *m, const struct pw_cfg *c,
			      uint64_t root, uint64_t addr, bool cfg_ok)
{
	struct pw_result r, r2;
	uint64_t table, ign = c->ign_mask;
	int ret, k, levels = c->levels, fmt = c->format;
	int want = PW_OK, want_leaf = 0, want_steps = 0;
	uint64_t want_pa = 0;
	bool addr_ok;

	ret = do_walk(m, c, root, addr, &r);

	/* status in range */
	CHECK(ret >= PW_OK && ret <= PW_ERR_CONFIG);
	if (!cfg_ok) {
		CHECK_STATUS(ret, PW_ERR_CONFIG);
		CHECK_EQ(r.nr_steps, 0);
		CHECK_EQ(m->nr_reads, 0);
		return;
	}
	CHECK(r.nr_steps <= levels);
	CHECK(m->nr_reads <= (unsigned long)levels);
	if (fmt == PW_FMT_X86)
		CHECK(ret != PW_ERR_MISCONFIG);
	else
		CHECK(ret != PW_ERR_RESERVED);
	CHECK(ret != PW_ERR_CONFIG);

	/* reference walk, written from the architecture description */
	if (levels == 4)
		addr_ok = c->virt ? ((addr >> 47) == 0 ||
				     (addr >> 47) == 0x1ffff) :
				    (addr >> 48) == 0;
	else
		addr_ok = c->virt ? ((addr >> 56) == 0 ||
				     (addr >> 56) == 0xff) :
				    (addr >> 57) == 0;
	table = root & 0x000ffffffffff000ULL & ~ign;
	if (!addr_ok) {
		want = PW_ERR_ADDR;
	} else {
		int l;

		for (l = levels; l >= 1; l--) {
			unsigned int idx = (unsigned int)
				(addr >> (12 + 9 * (l - 1))) & 0x1ff;
			uint64_t e, v;

			if (!fm_peek(m, table + 8 * idx, &e)) {
				want = PW_ERR_READ;
				break;
			}
			want_steps++;
			if (!ref_present(fmt, e)) {
				want = PW_ERR_NOT_PRESENT;
				break;
			}
			if (ref_bad(fmt, e, l, c->maxphyaddr, ign)) {
				want = fmt == PW_FMT_EPT ? PW_ERR_MISCONFIG :
							   PW_ERR_RESERVED;
				break;
			}
			v = e & ~ign;
			if (l == 1 || (l <= 3 && (v & 0x80))) {
				uint64_t sz = leaf_size[l];

				want_leaf = l;
				want_pa = (v & 0x000ffffffffff000ULL &
					   ~(sz - 1)) | (addr & (sz - 1));
				break;
			}
			table = v & 0x000ffffffffff000ULL;
		}
	}
	CHECK_STATUS(ret, want);
	CHECK_EQ(r.nr_steps, want_steps);
	CHECK_EQ(r.leaf_level, want_leaf);
	CHECK_EQ(r.pa, want_pa);

	/* invariants */
	if (ret == PW_OK) {
		uint64_t sz;

		CHECK(r.leaf_level >= 1 && r.leaf_level <= 3);
		if (r.leaf_level < 1 || r.leaf_level > 3)
			return;
		sz = leaf_size[r.leaf_level];
		CHECK_EQ(r.pa & (sz - 1), addr & (sz - 1));
		CHECK_EQ(r.nr_steps, levels - r.leaf_level + 1);
		CHECK_EQ(r.pa & ign & ~(sz - 1), 0);
		if (c->maxphyaddr < 64)
			CHECK_EQ(r.pa >> c->maxphyaddr, 0);
		CHECK_EQ(m->nr_reads, (unsigned long)r.nr_steps);
	} else {
		CHECK_EQ(r.leaf_level, 0);
		CHECK_EQ(r.pa, 0);
		if (ret == PW_ERR_ADDR)
			CHECK_EQ(r.nr_steps, 0);
		if (ret == PW_ERR_READ)
			CHECK_EQ(m->nr_reads, (unsigned long)r.nr_steps + 1);
		else
			CHECK_EQ(m->nr_reads, (unsigned long)r.nr_steps);
		if (ret == PW_ERR_NOT_PRESENT && r.nr_steps >= 1 &&
		    r.nr_steps <= PW_MAX_LEVELS)
			CHECK(!ref_present(fmt,
					   r.step[r.nr_steps - 1].entry));
	}

	/* each step: level, index, table chain, entry == memory */
	table = root & 0x000ffffffffff000ULL & ~ign;
	for (k = 0; k < r.nr_steps && k < PW_MAX_LEVELS; k++) {
		int l = levels - k;
		uint64_t e = 0;

		CHECK_EQ(r.step[k].level, l);
		CHECK_EQ(r.step[k].index, (addr >> (12 + 9 * (l - 1))) & 0x1ff);
		CHECK_EQ(r.step[k].table, table);
		CHECK(fm_peek(m, r.step[k].table + 8 * r.step[k].index, &e));
		CHECK_EQ(r.step[k].entry, e);
		table = r.step[k].entry & ~ign & 0x000ffffffffff000ULL;
	}

	/* decode every step entry into a tight buffer with a guard */
	for (k = 0; k < r.nr_steps && k < PW_MAX_LEVELS; k++) {
		char buf[64];
		size_t len = rnd_n(40);

		memset(buf, 0x7e, sizeof(buf));
		pw_decode(c->format, r.step[k].entry, r.step[k].level, buf,
			  len);
		if (len) {
			CHECK(memchr(buf, '\0', len) != NULL);
		}
		CHECK_EQ((unsigned char)buf[len], 0x7e);
	}

	/* determinism */
	memset(&r2, 0x5a, sizeof(r2));
	pw_walk(c, root, addr, fm_read, m, &r2);
	CHECK_EQ(r2.status, r.status);
	CHECK_EQ(r2.pa, r.pa);
	CHECK_EQ(r2.nr_steps, r.nr_steps);
}

static void test_random(void)
{
	static const int widths[] = { 36, 39, 46, 48, 52 };
	const int worlds = 100, walks = 1000;
	int w, i, p;
	unsigned long nr_ok = 0, by_status[PW_ERR_CONFIG + 1] = { 0 };

	for (w = 0; w < worlds; w++) {
		struct fmem *m = fm_new();
		int fmt = w & 1;

		/* pool pages: mostly low memory, some high */
		for (p = 0; p < R_PAGES; p++) {
			uint64_t pa;

			do {
				pa = rnd() & (p < 40 ? 0x0000000ffffff000ULL :
					      0x0000ffffffff000ULL);
			} while (fm_lookup(m, pa));
			r_pool[p] = pa;
			fm_page(m, pa);
		}
		for (p = 0; p < R_PAGES; p++) {
			unsigned int j;

			for (j = 0; j < 512; j++)
				fm_set(m, r_pool[p], j, rnd_entry(fmt));
		}

		for (i = 0; i < walks; i++) {
			struct pw_cfg c;
			bool cfg_ok = true;
			uint64_t root, addr;
			unsigned int k = rnd_n(100);

			/* one rnd() per statement: same stream everywhere */
			c = mkcfg(fmt, 4, 46, false, 0);
			c.levels = rnd_n(2) ? 4 : 5;
			c.maxphyaddr = (u8)widths[rnd_n(5)];
			c.virt = rnd_n(2);
			if (k < 15)
				c.ign_mask = 1ULL << 47;
			else if (k < 20)
				c.ign_mask = 1ULL << 51;
			else if (k < 22)	/* random address bits */
				c.ign_mask = rnd() & 0x000ffffffffff000ULL;
			if (!rnd_n(50)) {
				cfg_ok = false;
				switch (rnd_n(3)) {
				case 0:
					c.levels = (u8)(rnd_n(2) ? 3 :
							6 + rnd_n(250));
					break;
				case 1:
					c.format = (u8)(2 + rnd_n(254));
					break;
				default:
					c.maxphyaddr = (u8)(rnd_n(2) ?
						rnd_n(32) : 53 + rnd_n(200));
					break;
				}
			}
			root = rnd_pool_page();
			if (!rnd_n(20))
				root |= rnd() & 0xfff;
			if (!rnd_n(50))
				root = rnd();
			addr = rnd();
			switch (rnd_n(8)) {
			case 0:		/* raw random */
				break;
			case 1:		/* canonical low half */
				addr &= c.levels == 5 ? 0x00ffffffffffffffULL :
					0x00007fffffffffffULL;
				break;
			case 2:		/* canonical high half */
			case 3:
				addr |= c.levels == 5 ? 0xff00000000000000ULL :
					0xffff800000000000ULL;
				if (!c.virt)
					addr &= 0x0000ffffffffffffULL;
				break;
			default:	/* small GPA */
				addr &= 0x000000ffffffffffULL;
				break;
			}
			check_random_walk(m, &c, root, addr, cfg_ok);
			{
				struct pw_result r;

				pw_walk(&c, root, addr, fm_read, m, &r);
				if (r.status >= 0 && r.status <= PW_ERR_CONFIG)
					by_status[r.status]++;
				if (r.status == PW_OK)
					nr_ok++;
			}
		}
		fm_free(m);
	}
	printf("  random: %d walks: ok %lu, not-present %lu, reserved %lu, "
	       "misconfig %lu, read %lu, addr %lu, config %lu\n",
	       worlds * walks, nr_ok, by_status[PW_ERR_NOT_PRESENT],
	       by_status[PW_ERR_RESERVED], by_status[PW_ERR_MISCONFIG],
	       by_status[PW_ERR_READ], by_status[PW_ERR_ADDR],
	       by_status[PW_ERR_CONFIG]);
	/* the generator must actually exercise every outcome */
	CHECK(nr_ok > 1000);
	CHECK(by_status[PW_ERR_NOT_PRESENT] > 1000);
	CHECK(by_status[PW_ERR_RESERVED] > 100);
	CHECK(by_status[PW_ERR_MISCONFIG] > 100);
	CHECK(by_status[PW_ERR_READ] > 100);
	CHECK(by_status[PW_ERR_ADDR] > 100);
	CHECK(by_status[PW_ERR_CONFIG] > 100);
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "helpers", test_helpers },
	{ "x86_4k", test_x86_4k },
	{ "huge", test_huge },
	{ "large_high_levels", test_large_high_levels },
	{ "not_present", test_not_present },
	{ "maxphyaddr", test_maxphyaddr },
	{ "huge_reserved", test_huge_reserved },
	{ "ept_misconfig", test_ept_misconfig },
	{ "addr_checks", test_addr_checks },
	{ "unreadable", test_unreadable },
	{ "cycles", test_cycles },
	{ "ign_mask", test_ign_mask },
	{ "bad_config", test_bad_config },
	{ "decode", test_decode },
	{ "random", test_random },
};

int main(int argc, char **argv)
{
	unsigned int i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		unsigned long f0 = n_failures, c0 = n_checks;
		clock_t t0 = clock();

		if (argc > 1 && strcmp(argv[1], tests[i].name))
			continue;
		cur_test = tests[i].name;
		tests[i].fn();
		n_tests++;
		printf("  %-18s %s (%lu checks, %.2fs)\n", tests[i].name,
		       n_failures == f0 ? "ok" : "FAILED", n_checks - c0,
		       (double)(clock() - t0) / CLOCKS_PER_SEC);
	}
	printf("unit: %lu tests, %lu checks, %lu failures\n",
	       n_tests, n_checks, n_failures);
	return n_failures ? 1 : 0;
}
