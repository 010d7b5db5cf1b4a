/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-pagewalk compatibility layer: Debian 6.12 series. */
#ifndef __KVM_X86_PW_COMPAT_H
#define __KVM_X86_PW_COMPAT_H

#include <linux/pgtable.h>

#define PW_KVM_SERIES "6.12"

/*
 * Read the PTE for @hva under the PMD copy @pmd (IRQs off, RCU held).
 * Returns false if @pmd no longer points to a PTE table.
 *
 * pte_offset_map() would do the same checks, but since 6.5 it is backed by
 * __pte_offset_map(), which is not exported to modules (modpost fails for
 * kvm.ko).  On x86-64 (no HIGHPTE) it maps nothing anyway, so validate the
 * copy as __pte_offset_map() does and index the table with
 * pte_offset_kernel().  IRQs off and RCU keep the table from being freed
 * (pte_free_defer() and the TLB-flush IPI wait for us).
 */
static inline bool pw_read_pte(pmd_t *pmd, unsigned long hva, pte_t *pte)
{
	pmd_t pmdval = *pmd;

	if (pmd_none(pmdval) || !pmd_present(pmdval) || pmd_leaf(pmdval) ||
	    pmd_bad(pmdval))
		return false;
	*pte = ptep_get(pte_offset_kernel(&pmdval, hva));
	return true;
}

#endif /* __KVM_X86_PW_COMPAT_H */
