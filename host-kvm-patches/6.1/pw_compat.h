/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-pagewalk compatibility layer: Debian 6.1 series. */
#ifndef __KVM_X86_PW_COMPAT_H
#define __KVM_X86_PW_COMPAT_H

#include <linux/pgtable.h>

#define PW_KVM_SERIES "6.1"

/*
 * Read the PTE for @hva under the PMD copy @pmd (IRQs off, RCU held).
 * Returns false if @pmd does not point to a PTE table: a corrupt entry
 * must not be followed into memory that is not a page table.
 */
static inline bool pw_read_pte(pmd_t *pmd, unsigned long hva, pte_t *pte)
{
	pte_t *ptep;

	if (pmd_none(*pmd) || !pmd_present(*pmd) || pmd_leaf(*pmd) ||
	    pmd_bad(*pmd))
		return false;
	ptep = pte_offset_map(pmd, hva);
	*pte = ptep_get(ptep);
	pte_unmap(ptep);
	return true;
}

#endif /* __KVM_X86_PW_COMPAT_H */
