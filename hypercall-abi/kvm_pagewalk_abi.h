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
#define KVM_PAGEWALK_ABI_VERSION	0

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

/* Host enable parameter: kvm.pagewalk=<0|1>, default 1 (walk + log). */
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

#endif /* _KVM_PAGEWALK_ABI_H */
