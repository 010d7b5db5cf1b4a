/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-pagewalk compatibility layer: Debian 6.1 series. */
#ifndef __KVM_X86_PW_COMPAT_H
#define __KVM_X86_PW_COMPAT_H

#include <linux/pgtable.h>

#define PW_KVM_SERIES "6.1"

/* Read the PTE for @hva under the PMD copy @pmd (IRQs off). */
static inline bool pw_read_pte(pmd_t *pmd, unsigned long hva, pte_t *pte)
{
	pte_t *ptep = pte_offset_map(pmd, hva);

	*pte = READ_ONCE(*ptep);
	pte_unmap(ptep);
	return true;
}

#endif /* __KVM_X86_PW_COMPAT_H */
