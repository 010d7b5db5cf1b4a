/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel integer types for the userspace builds of the walker core. */
#ifndef _PW_USER_TYPES_H
#define _PW_USER_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif /* _PW_USER_TYPES_H */
