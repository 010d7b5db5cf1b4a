/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-pagewalk: the one entry point KVM's hypercall dispatch calls. */
#ifndef __KVM_X86_PAGEWALK_H
#define __KVM_X86_PAGEWALK_H

#include <linux/kvm_host.h>
#include "kvm_pagewalk_abi.h"

unsigned long kvm_pagewalk_hypercall(struct kvm_vcpu *vcpu, unsigned long nr,
				     unsigned long a0, unsigned long a1,
				     unsigned long a2, unsigned long a3);

#endif /* __KVM_X86_PAGEWALK_H */
