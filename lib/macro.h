/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small compile-time helpers, after kmod's shared/macro.h: an ARRAY_SIZE that
 * refuses a pointer (a build error, not a silent sizeof(pointer) / size), and
 * attributes that let the compiler check what we write.
 */
#ifndef GUESTCHECK_MACRO_H
#define GUESTCHECK_MACRO_H

/* 0 for an array; a build error (negative bit-field width) for a pointer. */
#define MUST_BE_ARRAY(a)                                                                           \
	(sizeof(struct {                                                                           \
		 int _array_only                                                                   \
		     : __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0]))            \
		       ? -1                                                                        \
		       : 1;                                                                        \
	 }) *                                                                                      \
	 0)

/* kselftest.h defines an unchecked one only #ifndef: ours wins in either order. */
#undef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]) + MUST_BE_ARRAY(a))

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __must_check   __attribute__((warn_unused_result))

#endif
