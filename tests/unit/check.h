/*
 * check.h - a tiny test framework for the host unit tests.
 *
 *     CHECK(cond)            the condition holds
 *     CHECK_EQ_U(a, b)       two unsigned values are equal (shown in hex)
 *     CHECK_STR(a, b)        two strings are equal (NULL-safe)
 *     CHECK_CONTAINS(s, sub) string @s contains @sub
 *     CHECK_MSG(cond, fmt, ...) the condition holds; the message says why
 *     return check_summary("suite");  prints "suite: N passed, M failed"
 *
 * Every check counts as one pass or one failure; a failure prints
 * "FAIL file:line: ..." at once (the first CHECK_MAX_REPORTS of them), so
 * the summary line is always the last line of the output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MBOOT_TEST_CHECK_H
#define MBOOT_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CHECK_MAX_REPORTS 100

static unsigned check_passed, check_failed;

/** Record one result; on failure print where and @fmt... */
static __attribute__((format(printf, 4, 5), unused)) int
check_record(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		check_passed++;
		return 1;
	}
	if (check_failed++ < CHECK_MAX_REPORTS) {
		printf("FAIL %s:%d: ", file, line);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		fflush(stdout);
	} else if (check_failed == CHECK_MAX_REPORTS + 1) {
		printf("(further failures not shown)\n");
	}
	return 0;
}

#define CHECK(cond) \
	check_record(!!(cond), __FILE__, __LINE__, "CHECK(%s)", #cond)

#define CHECK_MSG(cond, ...) \
	check_record(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_EQ_U(a, b) __extension__({ \
	unsigned long long check_a_ = (unsigned long long)(a); \
	unsigned long long check_b_ = (unsigned long long)(b); \
	check_record(check_a_ == check_b_, __FILE__, __LINE__, \
		     "%s == %s: 0x%llx (%llu) != 0x%llx (%llu)", #a, #b, \
		     check_a_, check_a_, check_b_, check_b_); })

#define CHECK_STR(a, b) __extension__({ \
	const char *check_s_ = (a), *check_t_ = (b); \
	check_record(check_s_ && check_t_ && !strcmp(check_s_, check_t_), \
		     __FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
		     check_s_ ? check_s_ : "(null)", \
		     check_t_ ? check_t_ : "(null)"); })

#define CHECK_CONTAINS(s, sub) __extension__({ \
	const char *check_s_ = (s), *check_t_ = (sub); \
	check_record(check_s_ && check_t_ && strstr(check_s_, check_t_), \
		     __FILE__, __LINE__, "%s contains \"%s\": \"%s\"", #s, \
		     check_t_ ? check_t_ : "(null)", \
		     check_s_ ? check_s_ : "(null)"); })

/** Print "@suite: N passed, M failed"; returns the exit status. */
static __attribute__((unused)) int check_summary(const char *suite)
{
	printf("%s: %u passed, %u failed\n", suite, check_passed,
	       check_failed);
	fflush(stdout);
	return check_failed ? 1 : 0;
}

#endif
