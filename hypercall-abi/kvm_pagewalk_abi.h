/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kvm-pagewalk hypercall ABI, shared by the host (instrumented KVM), the
 * guest module gptdump and userspace tools.  See hypercall-abi/hypercalls.rst.
 */
#ifndef _KVM_PAGEWALK_ABI_H
#define _KVM_PAGEWALK_ABI_H

#include <linux/types.h>
#include <linux/const.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#else
#include <assert.h>
#endif
#define KVM_PAGEWALK_ASSERT(c, m) static_assert(c, m)

/* ABI version returned by KVM_PAGEWALK_OP_VERSION. */
#define KVM_PAGEWALK_ABI_VERSION	1

/*
 * Hypercall numbers.  Upstream KVM_HC_* use 1..12; ours is far away from
 * them ('P' 'W').  22 is the GiantVM Book chapter-3 ABI: a0 = GPA.
 */
#define KVM_HC_PAGEWALK			0x5057
#define KVM_HC_PAGEWALK_BOOK		22

/* KVM_HC_PAGEWALK: a1 bits 7:0 select the operation. */
#define KVM_PAGEWALK_OP_MASK		0xffULL
#define KVM_PAGEWALK_OP_VERSION		0	/* returns the ABI version */
#define KVM_PAGEWALK_OP_WALK		1	/* a0 = GPA, a2 = GVA, a3 = CR3 */

#define KVM_PAGEWALK_OP_BATCH		2	/* a0 = GPA of a request, a2 = its size */

/* KVM_HC_PAGEWALK: a1 flag bits (above the op byte). */
#define KVM_PAGEWALK_F_CONTEXT		_BITULL(8)	/* a2/a3 are valid */
#define KVM_PAGEWALK_F_ALL		KVM_PAGEWALK_F_CONTEXT

/*
 * Return values (rax), as KVM returns them: 0 or a non-negative result on
 * success, otherwise the negated KVM_E* code from <linux/kvm_para.h>:
 *   -KVM_EPERM       caller not at CPL0 (KVM itself), or the host disabled
 *                    the feature (kvm.pagewalk=0)
 *   -KVM_EINVAL      unknown op, unknown flag, GPA beyond the guest's
 *                    physical address width
 *   -KVM_EFAULT      GPA not backed by a memslot, or no TDP/host mapping
 *   -KVM_EOPNOTSUPP  the vCPU runs a nested guest (L2 of this host)
 *   -KVM_ENOSYS      unknown hypercall number (KVM itself)
 */

/*
 * Host parameters: kvm.pagewalk=<0|1>, default 1 (walk + log);
 * kvm.pagewalk_writeback=<0|1>, default 0: write host physical addresses,
 * host virtual addresses, TDP entries and host memory contents back into
 * the guest's request buffer (OP_BATCH).  Off, OP_BATCH entries only get
 * KVM_PAGEWALK_S_NO_WRITEBACK (the walks are still logged).
 */
#define KVM_PAGEWALK_PARAM_OFF		0
#define KVM_PAGEWALK_PARAM_LOG		1

/* One level of a walk, as reported by tools (fixed layout). */
struct kvm_pagewalk_level {
	__u64 table;	/* physical address of the table page */
	__u64 entry;	/* raw entry read */
	__u16 index;	/* index into the table */
	__u8 level;	/* 5..1 */
	__u8 pad[5];
};

KVM_PAGEWALK_ASSERT(sizeof(struct kvm_pagewalk_level) == 24,
		    "kvm_pagewalk_level layout");

/*
 * OP_BATCH request (ABI version 1), in guest memory at a0, physically
 * contiguous, a2 bytes long: a header followed by @count entries.  The
 * guest fills the header and the "in" part of each entry; the host checks
 * everything (magic, version, sizes, count <= KVM_PAGEWALK_MAX_BATCH, the
 * buffer lies in writable memslots) and writes the "out" part of every
 * entry and the header's status.
 */
#define KVM_PAGEWALK_REQ_MAGIC		0x31525750U	/* "PWR1" */
#define KVM_PAGEWALK_REQ_VERSION	1
#define KVM_PAGEWALK_MAX_BATCH		512

/* Request flags. */
#define KVM_PAGEWALK_REQ_F_QUIET	_BITUL(0)	/* no host printk */
#define KVM_PAGEWALK_REQ_F_ALL		KVM_PAGEWALK_REQ_F_QUIET

/* Entry flags (in). */
#define KVM_PAGEWALK_ENT_F_CONTEXT	_BITUL(0)	/* gva/cr3 are valid */
#define KVM_PAGEWALK_ENT_F_QUIET	_BITUL(1)	/* no host printk */
#define KVM_PAGEWALK_ENT_F_ALL		(KVM_PAGEWALK_ENT_F_CONTEXT | \
					 KVM_PAGEWALK_ENT_F_QUIET)

struct kvm_pagewalk_req {
	__u32 magic;		/* KVM_PAGEWALK_REQ_MAGIC */
	__u16 version;		/* KVM_PAGEWALK_REQ_VERSION */
	__u16 hdr_size;		/* sizeof(struct kvm_pagewalk_req) */
	__u32 entry_size;	/* sizeof(struct kvm_pagewalk_entry) */
	__u32 count;		/* entries that follow, 1..MAX_BATCH */
	__u32 flags;		/* KVM_PAGEWALK_REQ_F_* */
	__u32 status;		/* out: KVM_PAGEWALK_S_OK once processed */
	__u64 req_id;		/* in: the guest's id, printed by the host */
	__u64 reserved[2];	/* must be 0 */
};

KVM_PAGEWALK_ASSERT(sizeof(struct kvm_pagewalk_req) == 48,
		    "kvm_pagewalk_req layout");

/* Per-entry status (out). */
#define KVM_PAGEWALK_S_OK		0	/* hpa/value valid */
#define KVM_PAGEWALK_S_NO_WRITEBACK	1	/* host did not opt in */
#define KVM_PAGEWALK_S_BAD_GPA		2	/* >= 2^MAXPHYADDR */
#define KVM_PAGEWALK_S_NO_MEMSLOT	3	/* not guest RAM */
#define KVM_PAGEWALK_S_NOT_PRESENT	4	/* TDP (or host PT) not present */
#define KVM_PAGEWALK_S_RESERVED		5	/* reserved bit / misconfig */
#define KVM_PAGEWALK_S_UNREADABLE	6	/* a table page unreadable */
#define KVM_PAGEWALK_S_NESTED		7	/* vCPU in a nested guest */
#define KVM_PAGEWALK_S_BAD_FLAGS	8	/* unknown entry flag */

/* tdp (out). */
#define KVM_PAGEWALK_TDP_NONE		0
#define KVM_PAGEWALK_TDP_NPT		1
#define KVM_PAGEWALK_TDP_EPT		2
#define KVM_PAGEWALK_TDP_SHADOW		3

/* hostpt and spt verdicts (out). */
#define KVM_PAGEWALK_V_ABSENT		0	/* absent / none */
#define KVM_PAGEWALK_V_MATCH		1
#define KVM_PAGEWALK_V_MISMATCH		2

struct kvm_pagewalk_entry {
	/* in */
	__u64 gpa;		/* full byte address */
	__u64 gva;		/* context (ENT_F_CONTEXT) */
	__u64 cr3;		/* context (ENT_F_CONTEXT) */
	__u32 flags;		/* KVM_PAGEWALK_ENT_F_* */
	/* out */
	__u32 status;		/* KVM_PAGEWALK_S_* */
	__u8 tdp;		/* KVM_PAGEWALK_TDP_* */
	__u8 levels;		/* TDP depth, or host PT depth (shadow) */
	__u8 leaf;		/* 1 = 4K, 2 = 2M, 3 = 1G */
	__u8 nr_steps;		/* TDP (or SPT, shadow) entries read */
	__u8 hostpt;		/* KVM_PAGEWALK_V_* */
	__u8 spt;		/* KVM_PAGEWALK_V_*, shadow only */
	__u8 pad[2];
	__s32 slot;		/* memslot id, -1 if none */
	__u32 pad2;
	__u64 hpa;
	__u64 hva;
	__u64 host_pfn;		/* host page-table PFN (4K page) */
	__u64 value;		/* 8 bytes at hpa, little endian */
	struct kvm_pagewalk_level step[5];	/* TDP walk (SPT when shadow) */
};

KVM_PAGEWALK_ASSERT(sizeof(struct kvm_pagewalk_entry) == 200,
		    "kvm_pagewalk_entry layout");

#endif /* _KVM_PAGEWALK_ABI_H */
