#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run by DKMS (MAKE[0]) in its build directory: prepare the KVM source for
# the target kernel and build kvm.ko, kvm-amd.ko, kvm-intel.ko.
set -eu
kver=$1
kdir=${2:-/lib/modules/$kver/build}
KDIR=$kdir sh scripts/prepare-kvm-src.sh -k "$kver" -o kvm-src
make -C "$kdir" M="$(pwd)/kvm-src" -j"$(nproc)" modules
