// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-pagewalk host side: for a GPA sent by the guest, walk the vCPU's TDP
 * table (Intel EPT / AMD NPT) from the current MMU root, and independently
 * memslot -> HVA -> the VMM's own page tables -> PFN; compare; read the 8
 * bytes at the HPA; log every level (rate-limited).  With TDP off (shadow
 * paging) only the memslot/host page-table path exists.
 *
 * Everything here is guest-controlled input: it is bounds-checked and never
 * dereferenced without validation.
 */
#define pr_fmt(fmt) "kvm_pagewalk: " fmt

#include <linux/kvm_host.h>
#include <linux/highmem.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <asm/kvm_para.h>

#include "kvm_cache_regs.h"
#include "cpuid.h"
#include "mmu.h"
#include "mmu/spte.h"
#include "kvm_pagewalk.h"
#include "kvm_pagewalk_abi.h"
#include "pw_walk.h"
#include "pw_compat.h"

MODULE_VERSION(KVM_PAGEWALK_VERSION);

static int pagewalk = KVM_PAGEWALK_PARAM_LOG;
module_param(pagewalk, int, 0644);
MODULE_PARM_DESC(pagewalk,
		 "kvm-pagewalk hypercall: 0 = off (-KVM_EPERM), 1 = walk and log (default)");

/* Requests logged per interval; the rest are counted and suppressed. */
static DEFINE_RATELIMIT_STATE(pw_ratelimit, 5 * HZ, 32);

enum pw_hostpt_verdict { PW_HOSTPT_ABSENT, PW_HOSTPT_MATCH, PW_HOSTPT_MISMATCH };

static const char * const pw_hostpt_name[] = {
	[PW_HOSTPT_ABSENT] = "absent",
	[PW_HOSTPT_MATCH] = "match",
	[PW_HOSTPT_MISMATCH] = "mismatch",
};

struct pw_hostpt {
	u64 entry[PW_MAX_LEVELS];	/* raw host entries, top level first */
	int nr;				/* entries read */
	int levels;			/* 4 or 5 */
	int leaf;			/* 1, 2, 3; 0 = not mapped */
	u64 pfn;			/* PFN of the 4K page holding the HVA */
};

struct pw_req {
	struct kvm_vcpu *vcpu;
	u64 gpa;
	u64 gva;
	u64 cr3;
	bool context;
	const char *mode;		/* "ept", "npt" or "shadow" */
	struct pw_result tdp;		/* TDP walk (not for shadow) */
	int tdp_levels;
	int slot;			/* memslot id, -1 if none */
	unsigned long hva;
	struct pw_hostpt host;
	u64 hpa;
	u64 value;
	bool have_hpa;
	bool have_value;
	enum pw_hostpt_verdict verdict;
	const char *error;
};

/* Read callback for the TDP walk: KVM's own page-table pages, by HPA. */
static bool pw_read_hpa(void *ctx, u64 pa, u64 *val)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	if (!pfn_valid(pfn) || (pa & 7))
		return false;
	*val = READ_ONCE(*(u64 *)__va(pa));
	return true;
}

/*
 * Walk the VMM's page tables for @hva, in the style of KVM's
 * host_pfn_mapping_level(): IRQs off so the tables cannot be freed under
 * us, every entry read once.
 */
static void pw_walk_hostpt(struct mm_struct *mm, unsigned long hva,
			   struct pw_hostpt *h)
{
	unsigned long flags;
	pgd_t pgd;
	p4d_t p4d;
	pud_t pud;
	pmd_t pmd;
	pte_t pte;

	h->nr = 0;
	h->leaf = 0;
	h->levels = pgtable_l5_enabled() ? 5 : 4;
	if (!mm)
		return;

	local_irq_save(flags);
	pgd = READ_ONCE(*pgd_offset(mm, hva));
	h->entry[h->nr++] = pgd_val(pgd);
	if (pgd_none(pgd) || !pgd_present(pgd))
		goto out;
	p4d = READ_ONCE(*p4d_offset(&pgd, hva));
	if (pgtable_l5_enabled())
		h->entry[h->nr++] = p4d_val(p4d);
	if (p4d_none(p4d) || !p4d_present(p4d))
		goto out;
	pud = READ_ONCE(*pud_offset(&p4d, hva));
	h->entry[h->nr++] = pud_val(pud);
	if (pud_none(pud) || !pud_present(pud))
		goto out;
	if (pud_leaf(pud)) {
		h->leaf = 3;
		h->pfn = pud_pfn(pud) + ((hva & ~PUD_MASK) >> PAGE_SHIFT);
		goto out;
	}
	pmd = READ_ONCE(*pmd_offset(&pud, hva));
	h->entry[h->nr++] = pmd_val(pmd);
	if (pmd_none(pmd) || !pmd_present(pmd))
		goto out;
	if (pmd_leaf(pmd)) {
		h->leaf = 2;
		h->pfn = pmd_pfn(pmd) + ((hva & ~PMD_MASK) >> PAGE_SHIFT);
		goto out;
	}
	if (!pw_read_pte(&pmd, hva, &pte))
		goto out;
	h->entry[h->nr++] = pte_val(pte);
	if (!pte_present(pte))
		goto out;
	h->leaf = 1;
	h->pfn = pte_pfn(pte);
out:
	local_irq_restore(flags);
}

/* The 8 bytes at @hpa (little-endian u64), within its page. */
static bool pw_read_value(u64 hpa, u64 *val)
{
	unsigned long pfn = hpa >> PAGE_SHIFT;
	unsigned int off = offset_in_page(hpa);
	unsigned int n = min_t(unsigned int, 8, PAGE_SIZE - off);
	u8 buf[8] = { 0 };
	void *p;

	if (!pfn_valid(pfn))
		return false;
	p = kmap_local_pfn(pfn);
	memcpy(buf, p + off, n);
	kunmap_local(p);
	*val = le64_to_cpu(*(__le64 *)buf);
	return true;
}

static void pw_tdp_walk(struct pw_req *r)
{
	struct kvm_mmu *mmu = r->vcpu->arch.mmu;
	struct pw_cfg cfg = {
		.format = shadow_x_mask ? PW_FMT_EPT : PW_FMT_X86,
		.maxphyaddr = boot_cpu_data.x86_phys_bits,
		.ign_mask = shadow_me_mask,
	};

	r->tdp.status = PW_ERR_CONFIG;
	r->tdp.nr_steps = 0;
	r->tdp_levels = mmu->root_role.level;
	if (!VALID_PAGE(mmu->root.hpa) || !mmu->root_role.direct ||
	    (r->tdp_levels != 4 && r->tdp_levels != 5)) {
		r->error = "no-tdp-root";
		return;
	}
	cfg.levels = r->tdp_levels;
	pw_walk(&cfg, mmu->root.hpa, r->gpa, pw_read_hpa, NULL, &r->tdp);
	if (r->tdp.status != PW_OK) {
		r->error = pw_status_name(r->tdp.status);
		return;
	}
	r->hpa = r->tdp.pa;
	r->have_hpa = true;
}

/*
 * Everything that needs KVM's protection: mmu_lock (read) keeps MMU
 * notifier invalidations, and so frees of the TDP tables and of the guest's
 * pages, out; RCU covers the TDP MMU's deferred table frees.
 */
static void pw_collect(struct pw_req *r)
{
	struct kvm_vcpu *vcpu = r->vcpu;
	struct kvm *kvm = vcpu->kvm;
	gfn_t gfn = gpa_to_gfn(r->gpa);
	struct kvm_memory_slot *slot;

	r->slot = -1;
	slot = kvm_vcpu_gfn_to_memslot(vcpu, gfn);
	if (slot && !(slot->flags & KVM_MEMSLOT_INVALID)) {
		r->slot = slot->id;
		r->hva = __gfn_to_hva_memslot(slot, gfn) + offset_in_page(r->gpa);
	}

	read_lock(&kvm->mmu_lock);
	rcu_read_lock();
	if (tdp_enabled)
		pw_tdp_walk(r);
	if (r->slot >= 0)
		pw_walk_hostpt(kvm->mm, r->hva, &r->host);
	if (r->host.leaf) {
		u64 hpa = ((u64)r->host.pfn << PAGE_SHIFT) | offset_in_page(r->gpa);

		if (!tdp_enabled) {
			r->hpa = hpa;
			r->have_hpa = true;
			r->verdict = PW_HOSTPT_MATCH;
		} else if (r->have_hpa) {
			r->verdict = hpa == r->hpa ? PW_HOSTPT_MATCH :
						     PW_HOSTPT_MISMATCH;
		}
	}
	if (r->have_hpa)
		r->have_value = pw_read_value(r->hpa, &r->value);
	rcu_read_unlock();
	read_unlock(&kvm->mmu_lock);

	if (r->slot < 0)
		r->error = "no-memslot";
	else if (!tdp_enabled && !r->host.leaf)
		r->error = "hostpt-not-mapped";
}

static void pw_print(struct pw_req *r)
{
	struct kvm_vcpu *vcpu = r->vcpu;
	int vm = task_tgid_nr(current);
	const char *tname = r->mode[0] == 'e' ? "EPT" : "NPT";
	char flags[64];
	int i;

	pr_info_once("HPA = this kernel's physical address%s\n",
		     boot_cpu_has(X86_FEATURE_HYPERVISOR) ?
		     " (this host is itself a guest: L1 physical)" : "");
	if (r->context)
		pr_info("vm=%d vcpu=%d request gpa=0x%llx gva=0x%llx cr3=0x%llx\n",
			vm, vcpu->vcpu_id, r->gpa, r->gva, r->cr3);
	else
		pr_info("vm=%d vcpu=%d request gpa=0x%llx\n",
			vm, vcpu->vcpu_id, r->gpa);

	for (i = 0; i < r->tdp.nr_steps; i++) {
		const struct pw_step *s = &r->tdp.step[i];

		pw_decode(shadow_x_mask ? PW_FMT_EPT : PW_FMT_X86, s->entry,
			  s->level, flags, sizeof(flags));
		pr_info("vm=%d vcpu=%d gpa=0x%llx %s L%u table=0x%llx idx=%3u entry=0x%016llx [%s]\n",
			vm, vcpu->vcpu_id, r->gpa, tname, s->level, s->table,
			s->index, s->entry, flags);
	}
	if (r->slot >= 0) {
		pr_info("vm=%d vcpu=%d gpa=0x%llx memslot=%d hva=0x%lx\n",
			vm, vcpu->vcpu_id, r->gpa, r->slot, r->hva);
		for (i = 0; i < r->host.nr; i++) {
			pw_decode(PW_FMT_X86, r->host.entry[i], r->host.levels - i,
				  flags, sizeof(flags));
			pr_info("vm=%d vcpu=%d gpa=0x%llx HOSTPT L%d entry=0x%016llx [%s]\n",
				vm, vcpu->vcpu_id, r->gpa, r->host.levels - i,
				r->host.entry[i], flags);
		}
	}

	if (r->error && !r->have_hpa) {
		pr_info("RESULT vm=%d vcpu=%d gpa=0x%llx tdp=%s slot=%d error=%s\n",
			vm, vcpu->vcpu_id, r->gpa, r->mode, r->slot, r->error);
		return;
	}
	if (tdp_enabled)
		pr_info("RESULT vm=%d vcpu=%d gpa=0x%llx tdp=%s levels=%d leaf=%u size=%s hpa=0x%llx hva=0x%lx slot=%d value=0x%016llx hostpt=%s\n",
			vm, vcpu->vcpu_id, r->gpa, r->mode, r->tdp_levels,
			r->tdp.leaf_level, pw_size_name(r->tdp.leaf_level),
			r->hpa, r->hva, r->slot, r->value,
			pw_hostpt_name[r->verdict]);
	else
		pr_info("RESULT vm=%d vcpu=%d gpa=0x%llx tdp=shadow levels=%d leaf=%d size=%s hpa=0x%llx hva=0x%lx slot=%d value=0x%016llx hostpt=%s\n",
			vm, vcpu->vcpu_id, r->gpa, r->host.levels,
			r->host.leaf, pw_size_name(r->host.leaf), r->hpa,
			r->hva, r->slot, r->value, pw_hostpt_name[r->verdict]);
}

static unsigned long pw_walk_gpa(struct kvm_vcpu *vcpu, u64 gpa, bool context,
				 u64 gva, u64 cr3)
{
	struct pw_req r = {
		.vcpu = vcpu,
		.gpa = gpa,
		.gva = gva,
		.cr3 = cr3,
		.context = context,
		.verdict = PW_HOSTPT_ABSENT,
	};

	if (gpa >> cpuid_maxphyaddr(vcpu))
		return -KVM_EINVAL;
	if (is_guest_mode(vcpu))
		return -KVM_EOPNOTSUPP;

	r.mode = !tdp_enabled ? "shadow" : shadow_x_mask ? "ept" : "npt";
	pw_collect(&r);
	if (__ratelimit(&pw_ratelimit))
		pw_print(&r);
	if (!r.have_hpa)
		return -KVM_EFAULT;
	return 0;
}

unsigned long kvm_pagewalk_hypercall(struct kvm_vcpu *vcpu, unsigned long nr,
				     unsigned long a0, unsigned long a1,
				     unsigned long a2, unsigned long a3)
{
	if (READ_ONCE(pagewalk) == KVM_PAGEWALK_PARAM_OFF)
		return -KVM_EPERM;

	if (nr == KVM_HC_PAGEWALK_BOOK)
		return pw_walk_gpa(vcpu, a0, false, 0, 0);

	if (a1 & ~(KVM_PAGEWALK_OP_MASK | KVM_PAGEWALK_F_ALL))
		return -KVM_EINVAL;
	switch (a1 & KVM_PAGEWALK_OP_MASK) {
	case KVM_PAGEWALK_OP_VERSION:
		return KVM_PAGEWALK_ABI_VERSION;
	case KVM_PAGEWALK_OP_WALK:
		return pw_walk_gpa(vcpu, a0, a1 & KVM_PAGEWALK_F_CONTEXT, a2, a3);
	default:
		return -KVM_EINVAL;
	}
}
