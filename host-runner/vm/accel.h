/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which accelerator a guest runs under. KVM is only used when /dev/kvm
 * answers and, under --accel auto, a guest actually says hello within a
 * watchdog: on some hosts /dev/kvm exists but guests hang under it.
 */
#ifndef GUESTCHECK_ACCEL_H
#define GUESTCHECK_ACCEL_H

#include <stdbool.h>
#include <stddef.h>

enum accel_mode { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

/* "auto", "kvm", "tcg" -> mode; -EINVAL otherwise. */
int accel_parse(const char *s, enum accel_mode *mode);

/* Can this process use KVM at all? If not, why (one line). */
bool accel_kvm_usable(char *why, size_t size);

#endif
