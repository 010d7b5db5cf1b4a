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

#define CREATE_TRACE_POINTS
#include "kvm_pagewalk_trace.h"

MODULE_VERSION(KVM_PAGEWALK_VERSION);

static int pagewalk = KVM_PAGEWALK_PARAM_LOG;
module_param(pagewalk, int, 0644);
MODULE_PARM_DESC(pagewalk,
		 "kvm-pagewalk hypercall: 0 = off (-KVM_EPERM), 1 = walk and log (default)");

/* Writing host addresses and memory back to the guest is a disclosure. */
static bool pagewalk_writeback;
module_param(pagewalk_writeback, bool, 0644);
MODULE_PARM_DESC(pagewalk_writeback,
		 "kvm-pagewalk: write HPAs, HVAs, TDP entries and host values back into the guest's batch request (default off)");

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
	u64 req_id;			/* guest's id (batch), 0 otherwise */
	u64 gpa;
	u64 gva;
	u64 cr3;
	bool context;
	const char *mode;		/* "ept", "npt" or "shadow" */
	struct pw_result tdp;		/* TDP walk (not for shadow) */
	struct pw_result spt;		/* shadow page table walk of the GVA */
	bool have_spt;			/* spt was walked (shadow, GVA given) */
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
 * Shadow paging: the vCPU's root maps GVAs (of the guest's current CR3)
 * straight to HPAs.  Walk it for the GVA the guest gave as context, so the
 * SPT can be set beside the guest walk and checked against the host page
 * tables.
 */
static void pw_spt_walk(struct pw_req *r)
{
	struct kvm_mmu *mmu = r->vcpu->arch.mmu;
	struct pw_cfg cfg = {
		.format = PW_FMT_X86,
		.levels = mmu->root_role.level,
		.maxphyaddr = boot_cpu_data.x86_phys_bits,
		.virt = true,
		.ign_mask = shadow_me_mask,
	};

	if (!r->context || !VALID_PAGE(mmu->root.hpa) || mmu->root_role.direct ||
	    (cfg.levels != 4 && cfg.levels != 5))
		return;
	pw_walk(&cfg, mmu->root.hpa, r->gva, pw_read_hpa, NULL, &r->spt);
	r->have_spt = true;
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
	else
		pw_spt_walk(r);
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

/* Shadow mode: does the SPT leaf for the GVA agree with the HPA? */
static enum pw_hostpt_verdict pw_spt_check(const struct pw_req *r)
{
	if (!r->have_spt || r->spt.status != PW_OK || !r->have_hpa)
		return PW_HOSTPT_ABSENT;
	return r->spt.pa == r->hpa ? PW_HOSTPT_MATCH : PW_HOSTPT_MISMATCH;
}

static const char *pw_spt_verdict(const struct pw_req *r)
{
	enum pw_hostpt_verdict v = pw_spt_check(r);

	return v == PW_HOSTPT_ABSENT ? "none" : pw_hostpt_name[v];
}

static void pw_print_steps(const struct pw_req *r, const struct pw_result *w,
			   u8 format, const char *name)
{
	char flags[64];
	int i;

	for (i = 0; i < w->nr_steps; i++) {
		const struct pw_step *s = &w->step[i];

		pw_decode(format, s->entry, s->level, flags, sizeof(flags));
		pr_info("vm=%d vcpu=%d gpa=0x%llx %s L%u table=0x%llx idx=%3u entry=0x%016llx [%s]\n",
			task_tgid_nr(current), r->vcpu->vcpu_id, r->gpa, name,
			s->level, s->table, s->index, s->entry, flags);
	}
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
		pr_info("vm=%d vcpu=%d request req=%llu gpa=0x%llx gva=0x%llx cr3=0x%llx\n",
			vm, vcpu->vcpu_id, r->req_id, r->gpa, r->gva, r->cr3);
	else
		pr_info("vm=%d vcpu=%d request req=%llu gpa=0x%llx\n",
			vm, vcpu->vcpu_id, r->req_id, r->gpa);

	pw_print_steps(r, &r->tdp, shadow_x_mask ? PW_FMT_EPT : PW_FMT_X86, tname);
	if (r->have_spt) {
		pw_print_steps(r, &r->spt, PW_FMT_X86, "SPT");
		if (r->spt.status != PW_OK)
			pr_info("vm=%d vcpu=%d gva=0x%llx SPT walk: %s\n", vm,
				vcpu->vcpu_id, r->gva, pw_status_name(r->spt.status));
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
		pr_info("RESULT vm=%d vcpu=%d gpa=0x%llx tdp=shadow levels=%d leaf=%d size=%s hpa=0x%llx hva=0x%lx slot=%d value=0x%016llx hostpt=%s spt=%s\n",
			vm, vcpu->vcpu_id, r->gpa, r->host.levels,
			r->host.leaf, pw_size_name(r->host.leaf), r->hpa,
			r->hva, r->slot, r->value, pw_hostpt_name[r->verdict],
			pw_spt_verdict(r));
}

static u8 pw_tdp_abi(void)
{
	return !tdp_enabled ? KVM_PAGEWALK_TDP_SHADOW :
	       shadow_x_mask ? KVM_PAGEWALK_TDP_EPT : KVM_PAGEWALK_TDP_NPT;
}

static void pw_trace_steps(const struct pw_req *r, const struct pw_result *w,
			   u8 kind)
{
	int i;

	for (i = 0; i < w->nr_steps; i++)
		trace_kvm_pagewalk_level(r->req_id, r->gpa, kind,
					 w->step[i].level, w->step[i].table,
					 w->step[i].index, w->step[i].entry);
}

/* The request's tracepoints; nothing happens unless they are enabled. */
static void pw_trace(const struct pw_req *r, int status)
{
	int i;

	trace_kvm_pagewalk_request(r->vcpu->vcpu_id, r->req_id, r->gpa,
				   r->context ? r->gva : 0,
				   r->context ? r->cr3 : 0);
	pw_trace_steps(r, &r->tdp, KVM_PAGEWALK_TRACE_TDP);
	if (r->have_spt)
		pw_trace_steps(r, &r->spt, KVM_PAGEWALK_TRACE_SPT);
	for (i = 0; i < r->host.nr; i++)
		trace_kvm_pagewalk_level(r->req_id, r->gpa,
					 KVM_PAGEWALK_TRACE_HOSTPT,
					 r->host.levels - i, 0,
					 pw_index(r->hva, r->host.levels - i),
					 r->host.entry[i]);
	trace_kvm_pagewalk_result(r->req_id, r->gpa, r->have_hpa ? r->hpa : 0,
				  r->slot >= 0 ? r->hva : 0, r->slot,
				  tdp_enabled ? r->tdp.leaf_level : r->host.leaf,
				  status, r->have_value ? r->value : 0,
				  r->verdict, pw_tdp_abi());
}

/* Walk one GPA into @r; returns 0 or a -KVM_E* code. */
static long pw_walk_gpa(struct pw_req *r, bool log)
{
	r->verdict = PW_HOSTPT_ABSENT;
	if (r->gpa >> cpuid_maxphyaddr(r->vcpu))
		return -KVM_EINVAL;
	if (is_guest_mode(r->vcpu))
		return -KVM_EOPNOTSUPP;

	r->mode = !tdp_enabled ? "shadow" : shadow_x_mask ? "ept" : "npt";
	pw_collect(r);
	if (trace_kvm_pagewalk_result_enabled())
		pw_trace(r, r->have_hpa ? 0 : -KVM_EFAULT);
	if (log && __ratelimit(&pw_ratelimit))
		pw_print(r);
	return r->have_hpa ? 0 : -KVM_EFAULT;
}

static unsigned long pw_hc_walk(struct kvm_vcpu *vcpu, u64 gpa, bool context,
				u64 gva, u64 cr3)
{
	struct pw_req r = {
		.vcpu = vcpu,
		.gpa = gpa,
		.gva = gva,
		.cr3 = cr3,
		.context = context,
	};

	return pw_walk_gpa(&r, true);
}

static u32 pw_entry_status(const struct pw_req *r, long ret)
{
	if (ret == -KVM_EINVAL)
		return KVM_PAGEWALK_S_BAD_GPA;
	if (ret == -KVM_EOPNOTSUPP)
		return KVM_PAGEWALK_S_NESTED;
	if (r->have_hpa)
		return KVM_PAGEWALK_S_OK;
	if (r->slot < 0)
		return KVM_PAGEWALK_S_NO_MEMSLOT;
	switch (tdp_enabled ? r->tdp.status : PW_ERR_NOT_PRESENT) {
	case PW_ERR_RESERVED:
	case PW_ERR_MISCONFIG:
		return KVM_PAGEWALK_S_RESERVED;
	case PW_ERR_READ:
	case PW_ERR_CONFIG:
		return KVM_PAGEWALK_S_UNREADABLE;
	default:
		return KVM_PAGEWALK_S_NOT_PRESENT;
	}
}

static u8 pw_verdict_abi(enum pw_hostpt_verdict v)
{
	return v == PW_HOSTPT_MATCH ? KVM_PAGEWALK_V_MATCH :
	       v == PW_HOSTPT_MISMATCH ? KVM_PAGEWALK_V_MISMATCH :
					 KVM_PAGEWALK_V_ABSENT;
}

/* The "out" half of a batch entry; everything zero unless written back. */
static void pw_fill_entry(const struct pw_req *r, long ret,
			  struct kvm_pagewalk_entry *e)
{
	const struct pw_result *w = tdp_enabled ? &r->tdp : &r->spt;
	int i;

	e->status = pw_entry_status(r, ret);
	if (!READ_ONCE(pagewalk_writeback)) {
		e->status = KVM_PAGEWALK_S_NO_WRITEBACK;
		return;
	}
	e->tdp = pw_tdp_abi();
	e->levels = tdp_enabled ? r->tdp_levels : r->host.levels;
	e->leaf = tdp_enabled ? r->tdp.leaf_level : r->host.leaf;
	e->hostpt = pw_verdict_abi(r->verdict);
	e->spt = pw_verdict_abi(pw_spt_check(r));
	e->slot = r->slot;
	e->hpa = r->have_hpa ? r->hpa : 0;
	e->hva = r->slot >= 0 ? r->hva : 0;
	e->host_pfn = r->host.leaf ? r->host.pfn : 0;
	e->value = r->have_value ? r->value : 0;
	if (!tdp_enabled && !r->have_spt)
		return;
	e->nr_steps = w->nr_steps;
	for (i = 0; i < w->nr_steps && i < ARRAY_SIZE(e->step); i++) {
		e->step[i].table = w->step[i].table;
		e->step[i].entry = w->step[i].entry;
		e->step[i].index = w->step[i].index;
		e->step[i].level = w->step[i].level;
	}
}

#define PW_BATCH_CHUNK	16

/* One batch entry: validate the "in" half, walk, fill the "out" half. */
static void pw_batch_entry(struct kvm_vcpu *vcpu, u64 req_id, bool log,
			   struct kvm_pagewalk_entry *e)
{
	struct pw_req r = {
		.vcpu = vcpu,
		.req_id = req_id,
		.gpa = e->gpa,
		.gva = e->gva,
		.cr3 = e->cr3,
		.context = e->flags & KVM_PAGEWALK_ENT_F_CONTEXT,
	};
	long ret;

	/* Keep the "in" half, clear the "out" half. */
	*e = (struct kvm_pagewalk_entry) {
		.gpa = r.gpa, .gva = r.gva, .cr3 = r.cr3, .flags = e->flags,
		.slot = -1,
	};
	if (e->flags & ~KVM_PAGEWALK_ENT_F_ALL) {
		e->status = KVM_PAGEWALK_S_BAD_FLAGS;
		return;
	}
	ret = pw_walk_gpa(&r, log && !(e->flags & KVM_PAGEWALK_ENT_F_QUIET));
	pw_fill_entry(&r, ret, e);
}

/*
 * OP_BATCH: the request at @gpa (@len bytes) in guest memory.  Everything
 * in it is checked before use; it is processed in chunks so the host needs
 * no large buffer.  Returns 0 or -KVM_EINVAL (malformed), -KVM_EFAULT (not
 * readable/writable guest memory).
 */
static long pw_hc_batch(struct kvm_vcpu *vcpu, u64 gpa, u64 len)
{
	struct kvm_pagewalk_entry *buf;
	struct kvm_pagewalk_req hdr;
	u32 done = 0, status;
	u64 ent_gpa;
	bool log;
	long ret = 0;

	if (len < sizeof(hdr) || gpa + len < gpa)
		return -KVM_EINVAL;
	if (kvm_vcpu_read_guest(vcpu, gpa, &hdr, sizeof(hdr)))
		return -KVM_EFAULT;
	if (hdr.magic != KVM_PAGEWALK_REQ_MAGIC ||
	    hdr.version != KVM_PAGEWALK_REQ_VERSION ||
	    hdr.hdr_size != sizeof(hdr) ||
	    hdr.entry_size != sizeof(*buf) ||
	    hdr.count == 0 || hdr.count > KVM_PAGEWALK_MAX_BATCH ||
	    (hdr.flags & ~KVM_PAGEWALK_REQ_F_ALL) ||
	    hdr.reserved[0] || hdr.reserved[1] ||
	    len < sizeof(hdr) + (u64)hdr.count * sizeof(*buf))
		return -KVM_EINVAL;

	/* The header must be writable before any work is done. */
	status = U32_MAX;
	if (kvm_vcpu_write_guest(vcpu, gpa + offsetof(struct kvm_pagewalk_req, status),
				 &status, sizeof(status)))
		return -KVM_EFAULT;

	buf = kmalloc_array(PW_BATCH_CHUNK, sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -KVM_EFAULT;
	log = !(hdr.flags & KVM_PAGEWALK_REQ_F_QUIET);
	ent_gpa = gpa + sizeof(hdr);
	while (done < hdr.count) {
		u32 n = min_t(u32, PW_BATCH_CHUNK, hdr.count - done);
		u64 at = ent_gpa + (u64)done * sizeof(*buf);
		u32 i;

		if (kvm_vcpu_read_guest(vcpu, at, buf, n * sizeof(*buf))) {
			ret = -KVM_EFAULT;
			break;
		}
		for (i = 0; i < n; i++)
			pw_batch_entry(vcpu, hdr.req_id, log, &buf[i]);
		if (kvm_vcpu_write_guest(vcpu, at, buf, n * sizeof(*buf))) {
			ret = -KVM_EFAULT;
			break;
		}
		done += n;
	}
	kfree(buf);
	if (ret)
		return ret;
	status = KVM_PAGEWALK_S_OK;
	if (kvm_vcpu_write_guest(vcpu, gpa + offsetof(struct kvm_pagewalk_req, status),
				 &status, sizeof(status)))
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
		return pw_hc_walk(vcpu, a0, false, 0, 0);

	if (a1 & ~(KVM_PAGEWALK_OP_MASK | KVM_PAGEWALK_F_ALL))
		return -KVM_EINVAL;
	switch (a1 & KVM_PAGEWALK_OP_MASK) {
	case KVM_PAGEWALK_OP_VERSION:
		return KVM_PAGEWALK_ABI_VERSION;
	case KVM_PAGEWALK_OP_WALK:
		return pw_hc_walk(vcpu, a0, a1 & KVM_PAGEWALK_F_CONTEXT, a2, a3);
	case KVM_PAGEWALK_OP_BATCH:
		if (a1 & KVM_PAGEWALK_F_CONTEXT)
			return -KVM_EINVAL;
		return pw_hc_batch(vcpu, a0, a2);
	default:
		return -KVM_EINVAL;
	}
}
