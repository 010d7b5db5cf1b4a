// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-pagewalk: a version for the vendor module this file is linked into
 * (kvm-amd.ko, kvm-intel.ko), so that DKMS replaces the stock module, which
 * has none, and `modinfo` tells the instrumented build apart.
 */
#include <linux/module.h>

MODULE_VERSION(KVM_PAGEWALK_VERSION);
