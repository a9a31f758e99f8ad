/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One output path for text and JSON, after iproute2's json_print.h: each
 * value is printed by one call that names its JSON key and its text
 * format, and says where it goes:
 *
 *	print_uint(PRINT_ANY, "limit", " limit %u", p->limit_pkts);
 *
 * PRINT_ANY prints the value as a JSON member under -j and with the text
 * format otherwise; PRINT_JSON only under -j; PRINT_FP only as text. 0
 * prints nothing, so that print_type() can say "JSON when this, text when
 * that" in one call. Objects and arrays are JSON only; text has none.
 */
#ifndef _SILK_PRINT_H
#define _SILK_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP	= 1,
	PRINT_JSON	= 2,
	PRINT_ANY	= PRINT_FP | PRINT_JSON,
};

/* Output goes to stdout: as JSON if @json, pretty-printed if @pretty. */
void print_init(bool json, bool pretty);
bool is_json_context(void);

/* PRINT_JSON when @json holds, plus PRINT_FP when @text does. */
static inline enum output_type print_type(bool json, bool text)
{
	return (json ? PRINT_JSON : 0) | (text ? PRINT_FP : 0);
}

/* JSON only: a key inside an object, NULL in an array or at top level. */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int val);
/* The text format takes an unsigned long long (%llu). */
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t val);
/* JSON: three decimals; text: @fmt. */
void print_float(enum output_type t, const char *key, const char *fmt,
		 double val);
/* JSON: true or false; text: @fmt with "true"/"false" or "on"/"off". */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val);
void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool val);
/* Text only, printf-style: what JSON has no member for. */
void print_fp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Text only: end the line. */
void print_nl(void);

#endif /* _SILK_PRINT_H */
