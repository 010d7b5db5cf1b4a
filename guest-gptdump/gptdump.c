// SPDX-License-Identifier: GPL-2.0
/*
 * gptdump - the guest half of kvm-pagewalk.
 *
 * Walks the guest page tables from CR3 for a guest virtual address (GVA),
 * prints every level, reads the 8 bytes at the resulting guest physical
 * address (GPA) and then asks the instrumented host KVM, through the
 * KVM_HC_PAGEWALK hypercall, to walk its TDP tables for that GPA.
 *
 *   modprobe gptdump                     DEMO: a kmalloc and a vmalloc buffer
 *   modprobe gptdump gva=0xADDR          kernel address space
 *   modprobe gptdump gva=0xADDR pid=N    user address space of process N
 *
 * The module stays loaded after a successful walk; rmmod it to walk again.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/kvm_para.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/byteorder.h>
#include <asm/cpufeature.h>
#include <asm/mem_encrypt.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "kvm_pagewalk_abi.h"
#include "pw_walk.h"

/* "kvm-pw" followed by the buffer number. */
#define GPT_DEMO_MAGIC_KMALLOC	0x6b766d2d70770001ULL
#define GPT_DEMO_MAGIC_VMALLOC	0x6b766d2d70770002ULL

/* hc= when not running on KVM: minus errno 38, "function not implemented". */
#define GPT_HC_NOT_KVM		(-38L)

static unsigned long gva;
static bool gva_given;
static int pid;

/* DEMO buffers, kept until module unload. */
static u64 *demo_kbuf;
static u64 *demo_vbuf;

/* One translation: its input, the walk and what was observed. */
struct gpt_walk {
	struct pw_cfg cfg;
	struct pw_result res;
	unsigned long gva;
	u64 cr3;		/* physical address of the top-level table */
	u64 value;		/* 8 bytes at the GPA, little endian */
	u64 kernel_gpa;		/* slow_virt_to_phys(gva) */
	long hc;		/* hypercall return value */
	int pid;		/* 0: kernel address space */
	bool kernel;		/* gva is in the upper (kernel) half */
	bool has_kernel_gpa;
};

static void gpt_init_cfg(struct pw_cfg *cfg)
{
	cfg->format = PW_FMT_X86;
	cfg->levels = pgtable_l5_enabled() ? 5 : 4;
	cfg->maxphyaddr = boot_cpu_data.x86_phys_bits;
	cfg->virt = true;
	cfg->ign_mask = sme_me_mask;	/* SME/SEV C-bit; 0 without it */
}

/*
 * Root of the current address space, without the PCID/flag bits and the
 * C-bit.  With PTI, CR3 in kernel mode points to the kernel copy of the
 * PGD pair.  That copy maps user space too (its user entries merely carry
 * NX, which shows up at the top level), so walking it is correct for user
 * and kernel addresses alike.  The same holds for mm->pgd of another mm.
 */
static u64 gpt_read_cr3(void)
{
	return (u64)__read_cr3() & PW_ADDR_MASK & ~sme_me_mask;
}

/* Is @pa ordinary RAM, hence covered by the direct map? */
static bool gpt_phys_ok(u64 pa)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	return pfn_valid(pfn) && page_is_ram(pfn);
}

/*
 * Read @len bytes at physical address @pa through the direct map, after
 * validating every page.  RAM can still be missing from the direct map
 * (secretmem, debug_pagealloc, set_memory_np()), so the load itself goes
 * through copy_from_kernel_nofault(); for an aligned u64 that is a single
 * 8-byte load, i.e. it has READ_ONCE() semantics.
 */
static int gpt_read_phys(u64 pa, void *buf, size_t len)
{
	u8 *dst = buf;

	while (len) {
		size_t chunk = min_t(u64, len, PAGE_SIZE - offset_in_page(pa));

		if (!gpt_phys_ok(pa) ||
		    copy_from_kernel_nofault(dst, __va(pa), chunk))
			return -EFAULT;
		pa += chunk;
		dst += chunk;
		len -= chunk;
	}
	return 0;
}

/* pw_read_t callback: one page-table entry. */
static bool gpt_read_entry(void *ctx, u64 pa, u64 *val)
{
	return !gpt_read_phys(pa, val, sizeof(*val));
}

static int gpt_status_errno(int status)
{
	switch (status) {
	case PW_ERR_ADDR:
	case PW_ERR_CONFIG:
		return -EINVAL;
	default:
		return -EFAULT;
	}
}

/* Two lines per level: the entry, then its key fields in binary. */
static void gpt_print_step(const struct pw_step *s, u64 ign_mask)
{
	char flags[48], bin[10];
	u64 e = s->entry;
	int i;

	pw_decode(PW_FMT_X86, e, s->level, flags, sizeof(flags));
	pr_info("L%u table=0x%llx idx=%3u entry=0x%016llx [%s]\n",
		s->level, s->table, s->index, e, flags);

	for (i = 0; i < 9; i++)
		bin[i] = (e & BIT_ULL(8 - i)) ? '1' : '0';
	bin[9] = '\0';
	pr_info("   bits: NX=%llu PK=%llu AVL=%llu addr[51:12]=0x%llx flags[8:0]=0b%s (G PS D A PCD PWT US RW P)\n",
		e >> 63, (e >> 59) & 0xf, (e >> 9) & 0x7,
		e & PW_ADDR_MASK & ~ign_mask, bin);
}

/* The RESULT line of a failed lookup; returns @err. */
static int gpt_fail(const struct gpt_walk *w, const char *reason, int err)
{
	pr_info("RESULT pid=%d gva=0x%lx cr3=0x%llx levels=%u error=%s\n",
		w->pid, w->gva, w->cr3, w->cfg.levels, reason);
	return err;
}

static void gpt_print_result(const struct gpt_walk *w)
{
	char kgpa[40] = "";

	if (w->has_kernel_gpa)
		snprintf(kgpa, sizeof(kgpa), " kernel_gpa=0x%llx",
			 w->kernel_gpa);
	pr_info("RESULT pid=%d gva=0x%lx cr3=0x%llx levels=%u gpa=0x%llx level=%u size=%s value=0x%016llx%s hc=%ld\n",
		w->pid, w->gva, w->cr3, w->cfg.levels, w->res.pa,
		w->res.leaf_level, pw_size_name(w->res.leaf_level),
		w->value, kgpa, w->hc);
}

static int gpt_walk_error(const struct gpt_walk *w)
{
	const struct pw_result *r = &w->res;
	int st = r->status;
	int n = r->nr_steps;

	/* A step whose table could not be read is filled in, not counted. */
	if (st == PW_ERR_READ)
		n++;
	if (n)
		pr_err("gva 0x%lx not translated: %s at L%u (table 0x%llx)\n",
		       w->gva, pw_status_name(st), r->step[n - 1].level,
		       r->step[n - 1].table);
	else
		pr_err("gva 0x%lx not translated: %s\n",
		       w->gva, pw_status_name(st));
	return gpt_fail(w, pw_status_name(st), gpt_status_errno(st));
}

/*
 * The 8 bytes at the translated address, read through the GPA.  If they
 * run past the end of the leaf, the tail is at the GPA of the next page,
 * which needs a walk of its own.
 */
static int gpt_read_value(struct gpt_walk *w)
{
	u64 size = pw_level_size(w->res.leaf_level);
	size_t head = min_t(u64, sizeof(w->value), size - (w->gva & (size - 1)));
	__le64 raw;	/* no get_unaligned_le64(): its header moved in 6.12 */
	u8 *buf = (u8 *)&raw;
	struct pw_result next;

	if (gpt_read_phys(w->res.pa, buf, head))
		return -EFAULT;
	if (head < sizeof(raw) &&
	    (pw_walk(&w->cfg, w->cr3, w->gva + head, gpt_read_entry, NULL,
		     &next) != PW_OK ||
	     gpt_read_phys(next.pa, buf + head, sizeof(raw) - head)))
		return -EFAULT;
	w->value = le64_to_cpu(raw);
	return 0;
}

/*
 * Walk w->gva from w->cr3 and read the value at the GPA.  The caller holds
 * the mmap lock of a user mm; page tables may still change under us, but
 * every table read is validated, so a stale entry cannot do harm.
 */
static int gpt_walk(struct gpt_walk *w)
{
	int st, i;

	pr_info("walk pid=%d gva=0x%lx cr3=0x%llx levels=%u maxphyaddr=%u pti=%s\n",
		w->pid, w->gva, w->cr3, w->cfg.levels, w->cfg.maxphyaddr,
		static_cpu_has(X86_FEATURE_PTI) ? "on" : "off");
	st = pw_walk(&w->cfg, w->cr3, w->gva, gpt_read_entry, NULL, &w->res);
	for (i = 0; i < w->res.nr_steps; i++)
		gpt_print_step(&w->res.step[i], w->cfg.ign_mask);
	if (st != PW_OK)
		return gpt_walk_error(w);
	if (gpt_read_value(w)) {
		pr_err("gpa 0x%llx of gva 0x%lx is not readable RAM\n",
		       w->res.pa, w->gva);
		return gpt_fail(w, "value-unreadable", -EFAULT);
	}
	return 0;
}

/* Cross-checks for kernel addresses: the GVA itself and the kernel's view. */
static void gpt_check_kernel(struct gpt_walk *w)
{
	unsigned int level;
	u64 v;

	if (copy_from_kernel_nofault(&v, (void *)w->gva, sizeof(v)))
		pr_warn("WARNING gva 0x%lx not readable through the GVA\n",
			w->gva);
	else if (v != w->value)
		pr_warn("WARNING value via gva 0x%016llx != value via gpa 0x%016llx\n",
			v, w->value);

	/* slow_virt_to_phys() BUG()s on a missing table: look first. */
	if (!lookup_address(w->gva, &level)) {
		pr_warn("WARNING gva 0x%lx unknown to lookup_address()\n",
			w->gva);
		return;
	}
	w->kernel_gpa = slow_virt_to_phys((void *)w->gva);
	w->has_kernel_gpa = true;
	if (w->kernel_gpa != w->res.pa)
		pr_warn("WARNING kernel_gpa 0x%llx != walked gpa 0x%llx\n",
			w->kernel_gpa, w->res.pa);
}

static void gpt_hypercall(struct gpt_walk *w)
{
	if (!kvm_para_available()) {
		pr_notice_once("not running on KVM, no hypercall (hc=%ld)\n",
			       GPT_HC_NOT_KVM);
		w->hc = GPT_HC_NOT_KVM;
		return;
	}
	w->hc = kvm_hypercall4(KVM_HC_PAGEWALK, w->res.pa,
			       KVM_PAGEWALK_OP_WALK | KVM_PAGEWALK_F_CONTEXT,
			       w->gva, w->cr3);
}

/*
 * Take a reference on the mm of process w->pid and set w->cr3 to its
 * top-level table.  Returns 0 or a negative errno (RESULT printed).
 */
static int gpt_get_mm(struct gpt_walk *w, struct mm_struct **mmp)
{
	struct task_struct *task = NULL;
	struct mm_struct *mm;
	struct pid *p;

	p = find_get_pid(w->pid);
	if (p)
		task = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (!task) {
		pr_err("no such pid %d\n", w->pid);
		return gpt_fail(w, "no-such-pid", -ESRCH);
	}
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm) {
		pr_err("pid %d has no user address space (kernel thread?)\n",
		       w->pid);
		return gpt_fail(w, "no-mm", -ESRCH);
	}
	/* Our own process (modprobe): the live CR3. */
	if (mm == current->mm)
		w->cr3 = gpt_read_cr3();
	else
		w->cr3 = __pa(mm->pgd);
	*mmp = mm;
	return 0;
}

/*
 * Translate @addr in the address space of @tpid (0: the kernel's, i.e. the
 * current CR3) and print the walk and its RESULT line.
 */
static int gpt_translate(int tpid, unsigned long addr)
{
	struct gpt_walk w = { .pid = tpid, .gva = addr };
	struct mm_struct *mm = NULL;
	int ret;

	gpt_init_cfg(&w.cfg);
	w.kernel = addr & BIT(63);
	if (!pw_addr_ok(&w.cfg, addr)) {
		pr_err("gva 0x%lx is not canonical with %u-level paging\n",
		       addr, w.cfg.levels);
		return gpt_fail(&w, pw_status_name(PW_ERR_ADDR), -EINVAL);
	}
	if (w.kernel && tpid) {
		pr_err("gva 0x%lx is a kernel address, pid=%d makes no sense\n",
		       addr, tpid);
		return gpt_fail(&w, "kernel-address-with-pid", -EINVAL);
	}

	if (tpid) {
		ret = gpt_get_mm(&w, &mm);
		if (ret)
			return ret;
		mmap_read_lock(mm);
	} else {
		w.cr3 = gpt_read_cr3();
	}
	ret = gpt_walk(&w);
	if (mm) {
		mmap_read_unlock(mm);
		mmput(mm);
	}
	if (ret)
		return ret;

	if (w.kernel)
		gpt_check_kernel(&w);
	gpt_hypercall(&w);
	gpt_print_result(&w);
	return 0;
}

static void gpt_free_demo(void)
{
	vfree(demo_vbuf);
	kfree(demo_kbuf);
	demo_vbuf = NULL;
	demo_kbuf = NULL;
}

/*
 * A kmalloc buffer lives in the direct map (usually a 2M or 1G leaf), a
 * vmalloc buffer in a 4K leaf.  Tag both and translate them.
 */
static int gpt_demo(void)
{
	int ret, ret2;

	if (pid)
		pr_info("DEMO walks kernel buffers, pid=%d ignored\n", pid);
	demo_kbuf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	demo_vbuf = vzalloc(PAGE_SIZE);
	if (!demo_kbuf || !demo_vbuf) {
		gpt_free_demo();
		return -ENOMEM;
	}
	WRITE_ONCE(*demo_kbuf, GPT_DEMO_MAGIC_KMALLOC);
	WRITE_ONCE(*demo_vbuf, GPT_DEMO_MAGIC_VMALLOC);

	ret = gpt_translate(0, (unsigned long)demo_kbuf);
	ret2 = gpt_translate(0, (unsigned long)demo_vbuf);
	if (ret || ret2) {
		pr_err("DEMO failed\n");
		gpt_free_demo();
		return ret ? ret : ret2;
	}
	pr_info("DEMO done\n");
	return 0;
}

static int __init gptdump_init(void)
{
	if (!gva_given)
		return gpt_demo();
	return gpt_translate(pid, gva);
}

static void __exit gptdump_exit(void)
{
	gpt_free_demo();
}

module_init(gptdump_init);
module_exit(gptdump_exit);

/* gva=0 is a valid request, so remember whether gva= was given at all. */
static int gpt_gva_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_ulong(val, kp);

	if (!ret)
		gva_given = true;
	return ret;
}

static const struct kernel_param_ops gpt_gva_ops = {
	.set = gpt_gva_set,
	.get = param_get_ulong,
};

module_param_cb(gva, &gpt_gva_ops, &gva, 0444);
__MODULE_PARM_TYPE(gva, "ulong");
MODULE_PARM_DESC(gva, "Virtual address to translate, e.g. gva=0xffff888000000000 (none: DEMO mode)");
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "Process whose address space to walk (default 0: kernel)");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Dump the guest page-table walk of a GVA and ask KVM to walk the TDP tables of its GPA");
