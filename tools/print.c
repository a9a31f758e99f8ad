// SPDX-License-Identifier: GPL-2.0
/* One output path for text and JSON (see print.h), over json.c. */
#include <stdarg.h>

#include "json.h"
#include "print.h"

static struct json js;
static bool json_on;

void print_init(bool json, bool pretty)
{
	json_on = json;
	json_init(&js, stdout, pretty);
}

bool is_json_context(void)
{
	return json_on;
}

/* Does a @t value go out as JSON (1), as text (0) or not at all (-1)? */
static int where(enum output_type t)
{
	if (json_on)
		return t & PRINT_JSON ? 1 : -1;
	return t & PRINT_FP ? 0 : -1;
}

void open_json_object(const char *key)
{
	if (json_on)
		json_obj_open(&js, key);
}

void close_json_object(void)
{
	if (json_on)
		json_obj_close(&js);
}

void open_json_array(const char *key)
{
	if (json_on)
		json_arr_open(&js, key);
}

void close_json_array(void)
{
	if (json_on)
		json_arr_close(&js);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val)
{
	switch (where(t)) {
	case 1:
		json_str(&js, key, val);
		break;
	case 0:
		printf(fmt, val);
		break;
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int val)
{
	switch (where(t)) {
	case 1:
		json_uint(&js, key, val);
		break;
	case 0:
		printf(fmt, val);
		break;
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t val)
{
	switch (where(t)) {
	case 1:
		json_uint(&js, key, val);
		break;
	case 0:
		printf(fmt, (unsigned long long)val);
		break;
	}
}

void print_float(enum output_type t, const char *key, const char *fmt,
		 double val)
{
	switch (where(t)) {
	case 1:
		json_float(&js, key, val);
		break;
	case 0:
		printf(fmt, val);
		break;
	}
}

static void print_flag(enum output_type t, const char *key, const char *fmt,
		       bool val, const char *yes, const char *no)
{
	switch (where(t)) {
	case 1:
		json_bool(&js, key, val);
		break;
	case 0:
		printf(fmt, val ? yes : no);
		break;
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val)
{
	print_flag(t, key, fmt, val, "true", "false");
}

void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool val)
{
	print_flag(t, key, fmt, val, "on", "off");
}

void print_fp(const char *fmt, ...)
{
	va_list ap;

	if (json_on)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	if (!json_on)
		putchar('\n');
}
