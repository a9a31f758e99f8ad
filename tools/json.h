/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer for the tools' -j output (the role
 * iproute2's json_writer plays).
 */
#ifndef _SILK_JSON_H
#define _SILK_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[32];
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_float(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);

#endif /* _SILK_JSON_H */
