// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_json.c - the "rxscope/1" JSON recording: the writer, and the strict reader that
 * names the file and the field it rejects. Layout in docs/format.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <json-c/printbuf.h>
#include "export_json.h"
#include "hist.h"
#include "slow.h"
#include "softnet.h"
#include "split.h"


/* ---- writer ---------------------------------------------------------------------- */

static json_object *split_json(const struct rxs_split *s);

static json_object *u64(__u64 v)
{
	return json_object_new_uint64(v);
}

/* buckets print as one compact line of [slot, count] pairs, even in pretty output */
static int compact_pairs(json_object *jso, struct printbuf *pb, int level, int flags)
{
	size_t n = json_object_array_length(jso);

	(void)level;
	(void)flags;
	printbuf_strappend(pb, "[");
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(jso, i);

		sprintbuf(pb, "%s[%d, %llu]", i ? ", " : "",
			  json_object_get_int(json_object_array_get_idx(p, 0)),
			  (unsigned long long)json_object_get_uint64(
				  json_object_array_get_idx(p, 1)));
	}
	printbuf_strappend(pb, "]");
	return 0;
}

static json_object *hist_json(const struct rxs_hist *h)
{
	json_object *o = json_object_new_object(), *b = json_object_new_array();

	json_object_object_add(o, "count", u64(h->count));
	json_object_object_add(o, "sum", u64(h->sum));
	json_object_object_add(o, "min", u64(h->count ? h->min : 0));
	json_object_object_add(o, "max", u64(h->max));
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++) {
		json_object *pair;

		if (!h->slots[i])
			continue;
		pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_int(i));
		json_object_array_add(pair, u64(h->slots[i]));
		json_object_array_add(b, pair);
	}
	json_object_set_serializer(b, compact_pairs, NULL, NULL);
	json_object_object_add(o, "buckets", b);
	return o;
}

static json_object *summary_json(const struct rxs_hist *h)
{
	static const struct {
		const char *k;
		double q;
	} qs[] = { { "p50", .5 }, { "p90", .9 }, { "p99", .99 }, { "p99.9", .999 } };
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		json_object_object_add(o, qs[i].k,
				       json_object_new_double(rxs_hist_quantile(h, qs[i].q)));
	json_object_object_add(o, "mean", json_object_new_double(rxs_hist_mean(h)));
	return o;
}

static json_object *counters_json(const struct rxs_cpu_counters *c)
{
	json_object *bpf = json_object_new_object(), *fun = json_object_new_object();

	for (int i = 0; i < rxs_counter_count; i++)
		json_object_object_add(bpf, rxs_counter_defs[i].name,
				       u64(rxs_counter_get(c, &rxs_counter_defs[i])));
	for (int i = 0; i < RXS_F_NR; i++)
		json_object_object_add(fun, rxs_funnel_name(i), u64(c->pkts[i]));
	json_object_object_add(bpf, "funnel", fun);
	return bpf;
}

static json_object *cpu_json(const struct rxs_cpu_stat *c)
{
	json_object *o = json_object_new_object(), *sn = json_object_new_object();
	json_object *cols = json_object_new_array();

	json_object_object_add(o, "cpu", json_object_new_int(c->cpu));
	json_object_object_add(o, "bpf", counters_json(&c->bpf));
	json_object_object_add(sn, "ncols", json_object_new_int(c->softnet_ncols));
	for (int i = 0; i < c->softnet_ncols && i < RXS_SOFTNET_MAX_COLS; i++)
		json_object_array_add(cols, u64(c->softnet[i]));
	json_object_object_add(sn, "deltas", cols);
	json_object_object_add(o, "softnet", sn);
	return o;
}

/* one interval of the series: its end and length, the counters, the non-empty stages */
static json_object *interval_json(const struct rxs_interval *iv)
{
	json_object *o = json_object_new_object(), *sn = json_object_new_object();
	json_object *st = json_object_new_object();

	json_object_object_add(o, "t_s", json_object_new_double(iv->t_s));
	json_object_object_add(o, "dur_s", json_object_new_double(iv->dur_s));
	json_object_object_add(o, "bpf", counters_json(&iv->bpf));
	json_object_object_add(sn, "processed", u64(iv->sn_processed));
	json_object_object_add(sn, "dropped", u64(iv->sn_dropped));
	json_object_object_add(sn, "time_squeeze", u64(iv->sn_time_squeeze));
	json_object_object_add(o, "softnet", sn);
	for (int i = 0; i < RXS_H_NR; i++)
		if (iv->hist[i].count)
			json_object_object_add(st, rxs_stage_name(i), hist_json(&iv->hist[i]));
	json_object_object_add(o, "stages", st);
	return o;
}

int rxs_json_write(FILE *f, const struct rxs_recording *r)
{
	json_object *root = json_object_new_object(), *layout = json_object_new_object();
	json_object *stages = json_object_new_array(), *cpus = json_object_new_array();
	json_object *drops = json_object_new_array();
	const char *txt;
	int ret = 0;

	json_object_object_add(root, "schema", json_object_new_string(RXS_SCHEMA));
	json_object_object_add(root, "kernel", json_object_new_string(r->kernel));
	json_object_object_add(root, "driver", json_object_new_string(r->driver));
	json_object_object_add(root, "dev", json_object_new_string(r->dev));
	json_object_object_add(root, "port", json_object_new_int(r->port));
	json_object_object_add(root, "duration_s", json_object_new_double(r->duration_s));
	json_object_object_add(root, "start_unix", json_object_new_int64(r->start_unix));
	json_object_object_add(root, "ncpus", json_object_new_int(r->ncpus));
	json_object_object_add(layout, "sub_bits", json_object_new_int(RXS_HIST_SUB_BITS));
	json_object_object_add(layout, "max_exp", json_object_new_int(RXS_HIST_MAX_EXP));
	json_object_object_add(layout, "buckets", json_object_new_int(RXS_HIST_BUCKETS));
	json_object_object_add(root, "hist_layout", layout);
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage *s = &r->stages[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(s->name));
		json_object_object_add(o, "unit", json_object_new_string(s->unit));
		json_object_object_add(o, "hook", json_object_new_string(s->hook));
		json_object_object_add(o, "available", json_object_new_boolean(s->available));
		json_object_object_add(o, "hist", hist_json(&s->hist));
		json_object_object_add(o, "summary", summary_json(&s->hist));
		json_object_array_add(stages, o);
	}
	json_object_object_add(root, "stages", stages);
	for (int i = 0; i < r->ncpus; i++)
		json_object_array_add(cpus, cpu_json(&r->cpus[i]));
	json_object_object_add(root, "cpus", cpus);
	for (int i = 0; i < RXS_MAX_DROP_REASONS; i++) {
		json_object *o;

		if (!r->drop_reasons[i])
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "reason", json_object_new_int(i));
		json_object_object_add(o, "name",
				       json_object_new_string(r->drop_reason_names[i]));
		json_object_object_add(o, "count", u64(r->drop_reasons[i]));
		json_object_array_add(drops, o);
	}
	json_object_object_add(root, "drops", drops);
	json_object_object_add(root, "tracking_swept", u64(r->tracking_swept));
	json_object_object_add(root, "sample_pct", json_object_new_int(r->sample_pct));
	if (r->nseries > 0) {
		json_object *ser = json_object_new_array();

		for (int i = 0; i < r->nseries; i++)
			json_object_array_add(ser, interval_json(&r->series[i]));
		json_object_object_add(root, "series", ser);
	}
	if (r->split)
		json_object_object_add(root, "split", split_json(r->split));
	if (r->slow)
		json_object_object_add(root, "slow", rxs_slow_json(r->slow));

	txt = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	errno = 0;
	if (!txt || fputs(txt, f) < 0 || fputc('\n', f) < 0)
		ret = errno ? -errno : -EIO;	/* ENOSPC says more than EIO */
	json_object_put(root);
	return ret;
}

/* ---- reader ---------------------------------------------------------------------- */

static int read_split(struct rxs_json_rd *rd, json_object *o, struct rxs_recording *r);

int rxs_json_bad(struct rxs_json_rd *rd, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->errlen, "%s: %s: %s", rd->file, field, msg);
	return -EINVAL;
}

/* the member @key of object @o, of type @t; NULL and an error when missing or mistyped */
static json_object *get(struct rxs_json_rd *rd, json_object *o, const char *path, const char *key,
			json_type t, int *ret)
{
	char field[160];
	json_object *v;

	snprintf(field, sizeof(field), "%s%s%s", path, *path ? "." : "", key);
	if (!json_object_object_get_ex(o, key, &v) || !v) {
		*ret = rxs_json_bad(rd, field, "missing");
		return NULL;
	}
	if (t == json_type_double && json_object_is_type(v, json_type_int))
		return v;
	if (!json_object_is_type(v, t)) {
		*ret = rxs_json_bad(rd, field, "expected %s, found %s", json_type_to_name(t),
			   json_type_to_name(json_object_get_type(v)));
		return NULL;
	}
	return v;
}

static int get_u64(struct rxs_json_rd *rd, json_object *o, const char *path, const char *key,
		   __u64 *out)
{
	json_object *v;
	int ret = 0;
	char field[160];

	v = get(rd, o, path, key, json_type_int, &ret);
	if (!v)
		return ret;
	if (json_object_get_int64(v) < 0) {
		snprintf(field, sizeof(field), "%s%s%s", path, *path ? "." : "", key);
		return rxs_json_bad(rd, field, "negative value %lld",
			   (long long)json_object_get_int64(v));
	}
	*out = json_object_get_uint64(v);
	return 0;
}

static int get_str(struct rxs_json_rd *rd, json_object *o, const char *path, const char *key,
		   char *dst, size_t len)
{
	json_object *v;
	int ret = 0;
	char field[160];

	v = get(rd, o, path, key, json_type_string, &ret);
	if (!v)
		return ret;
	if ((size_t)json_object_get_string_len(v) >= len) {
		snprintf(field, sizeof(field), "%s%s%s", path, *path ? "." : "", key);
		return rxs_json_bad(rd, field, "longer than %zu characters", len - 1);
	}
	snprintf(dst, len, "%s", json_object_get_string(v));
	return 0;
}

static int read_hist(struct rxs_json_rd *rd, json_object *o, const char *path, struct rxs_hist *h)
{
	json_object *b;
	char field[160];
	__u64 total = 0;
	int ret = 0, prev = -1;
	size_t n;

	if ((ret = get_u64(rd, o, path, "count", &h->count)) ||
	    (ret = get_u64(rd, o, path, "sum", &h->sum)) ||
	    (ret = get_u64(rd, o, path, "min", &h->min)) ||
	    (ret = get_u64(rd, o, path, "max", &h->max)))
		return ret;
	b = get(rd, o, path, "buckets", json_type_array, &ret);
	if (!b)
		return ret;
	n = json_object_array_length(b);
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(b, i), *s, *c;
		int64_t slot, cnt;

		snprintf(field, sizeof(field), "%s.buckets[%zu]", path, i);
		if (!json_object_is_type(p, json_type_array) ||
		    json_object_array_length(p) != 2)
			return rxs_json_bad(rd, field, "expected [slot, count]");
		s = json_object_array_get_idx(p, 0);
		c = json_object_array_get_idx(p, 1);
		if (!json_object_is_type(s, json_type_int) ||
		    !json_object_is_type(c, json_type_int))
			return rxs_json_bad(rd, field, "expected two integers");
		slot = json_object_get_int64(s);
		cnt = json_object_get_int64(c);
		if (slot < 0 || slot >= (int64_t)RXS_HIST_BUCKETS)
			return rxs_json_bad(rd, field, "slot %lld outside 0..%u", (long long)slot,
				   RXS_HIST_BUCKETS - 1);
		if (slot <= prev)
			return rxs_json_bad(rd, field, "slot %lld not in increasing order",
				   (long long)slot);
		if (cnt < 0)
			return rxs_json_bad(rd, field, "negative count");
		prev = (int)slot;
		h->slots[slot] = json_object_get_uint64(c);
		total += h->slots[slot];
	}
	if (total != h->count)
		return rxs_json_bad(rd, path, "count %llu but the buckets hold %llu",
			   (unsigned long long)h->count, (unsigned long long)total);
	if (h->count && h->min > h->max)
		return rxs_json_bad(rd, path, "min %llu above max %llu", (unsigned long long)h->min,
			   (unsigned long long)h->max);
	if (h->count && (!h->slots[rxs_hist_slot(h->min)] || !h->slots[rxs_hist_slot(h->max)]))
		return rxs_json_bad(rd, path, "min/max lie in empty buckets");
	return 0;
}

static int read_stage(struct rxs_json_rd *rd, json_object *o, int idx, struct rxs_recording *r,
		      bool *seen)
{
	char path[64], name[40], unit[8];
	json_object *v, *h;
	struct rxs_stage *s;
	int id, ret = 0;

	snprintf(path, sizeof(path), "stages[%d]", idx);
	if (!json_object_is_type(o, json_type_object))
		return rxs_json_bad(rd, path, "expected object");
	if ((ret = get_str(rd, o, path, "name", name, sizeof(name))))
		return ret;
	id = rxs_stage_from_name(name);
	if (id < 0)
		return rxs_json_bad(rd, path, "unknown stage name \"%s\"", name);
	if (seen[id])
		return rxs_json_bad(rd, path, "stage \"%s\" appears twice", name);
	seen[id] = true;
	s = &r->stages[id];
	snprintf(s->name, sizeof(s->name), "%s", name);
	if ((ret = get_str(rd, o, path, "unit", unit, sizeof(unit))))
		return ret;
	if (strcmp(unit, "ns") && strcmp(unit, "packets")) {
		char f[80];

		snprintf(f, sizeof(f), "%s.unit", path);
		return rxs_json_bad(rd, f, "unknown unit \"%s\" (ns or packets)", unit);
	}
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	if ((ret = get_str(rd, o, path, "hook", s->hook, sizeof(s->hook))))
		return ret;
	v = get(rd, o, path, "available", json_type_boolean, &ret);
	if (!v)
		return ret;
	s->available = json_object_get_boolean(v);
	h = get(rd, o, path, "hist", json_type_object, &ret);
	if (!h)
		return ret;
	snprintf(path + strlen(path), sizeof(path) - strlen(path), ".hist");
	return read_hist(rd, h, path, &s->hist);
}

/* member "bpf" of @o: the BPF counters and their funnel */
static int read_counters(struct rxs_json_rd *rd, json_object *o, const char *path,
			 struct rxs_cpu_counters *c)
{
	char p2[96], p3[112];
	json_object *bpf, *fun;
	int ret = 0;

	bpf = get(rd, o, path, "bpf", json_type_object, &ret);
	if (!bpf)
		return ret;
	snprintf(p2, sizeof(p2), "%s.bpf", path);
	for (int i = 0; i < rxs_counter_count; i++) {
		const struct rxs_counter_def *d = &rxs_counter_defs[i];

		/* a counter newer than the file reads as 0 */
		if (!d->required && !json_object_object_get_ex(bpf, d->name, NULL))
			continue;
		ret = get_u64(rd, bpf, p2, d->name, rxs_counter_ptr(c, d));
		if (ret)
			return ret;
	}
	fun = get(rd, bpf, p2, "funnel", json_type_object, &ret);
	if (!fun)
		return ret;
	snprintf(p3, sizeof(p3), "%s.funnel", p2);
	for (int i = 0; i < RXS_F_NR; i++)
		if ((ret = get_u64(rd, fun, p3, rxs_funnel_name(i), &c->pkts[i])))
			return ret;
	return 0;
}

static int read_cpu(struct rxs_json_rd *rd, json_object *o, int idx, struct rxs_cpu_stat *c)
{
	char path[64], p2[80], p3[96];
	json_object *v, *sn, *cols;
	int ret = 0;
	size_t n;

	snprintf(path, sizeof(path), "cpus[%d]", idx);
	if (!json_object_is_type(o, json_type_object))
		return rxs_json_bad(rd, path, "expected object");
	v = get(rd, o, path, "cpu", json_type_int, &ret);
	if (!v)
		return ret;
	c->cpu = json_object_get_int(v);
	if (c->cpu < 0 || c->cpu >= RXS_MAX_CPUS)
		return rxs_json_bad(rd, path, "cpu %d outside 0..%d", c->cpu, RXS_MAX_CPUS - 1);
	if ((ret = read_counters(rd, o, path, &c->bpf)))
		return ret;
	sn = get(rd, o, path, "softnet", json_type_object, &ret);
	if (!sn)
		return ret;
	snprintf(p2, sizeof(p2), "%s.softnet", path);
	v = get(rd, sn, p2, "ncols", json_type_int, &ret);
	if (!v)
		return ret;
	c->softnet_ncols = json_object_get_int(v);
	if (c->softnet_ncols < 0 || c->softnet_ncols > RXS_SOFTNET_MAX_COLS)
		return rxs_json_bad(rd, p2, "ncols %d outside 0..%d", c->softnet_ncols,
			   RXS_SOFTNET_MAX_COLS);
	cols = get(rd, sn, p2, "deltas", json_type_array, &ret);
	if (!cols)
		return ret;
	n = json_object_array_length(cols);
	if (n != (size_t)c->softnet_ncols)
		return rxs_json_bad(rd, p2, "%zu deltas for ncols %d", n, c->softnet_ncols);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(cols, i);

		if (!json_object_is_type(e, json_type_int) || json_object_get_int64(e) < 0) {
			snprintf(p3, sizeof(p3), "%s.deltas[%zu]", p2, i);
			return rxs_json_bad(rd, p3, "expected a non-negative integer");
		}
		c->softnet[i] = json_object_get_uint64(e);
	}
	return 0;
}

static int read_drops(struct rxs_json_rd *rd, json_object *arr, struct rxs_recording *r)
{
	size_t n = json_object_array_length(arr);
	char path[48];
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *v;
		int reason;

		snprintf(path, sizeof(path), "drops[%zu]", i);
		if (!json_object_is_type(o, json_type_object))
			return rxs_json_bad(rd, path, "expected object");
		v = get(rd, o, path, "reason", json_type_int, &ret);
		if (!v)
			return ret;
		reason = json_object_get_int(v);
		if (reason < 0 || reason >= RXS_MAX_DROP_REASONS)
			return rxs_json_bad(rd, path, "reason %d outside 0..%d", reason,
				   RXS_MAX_DROP_REASONS - 1);
		if ((ret = get_str(rd, o, path, "name", r->drop_reason_names[reason],
				   sizeof(r->drop_reason_names[reason]))) ||
		    (ret = get_u64(rd, o, path, "count", &r->drop_reasons[reason])))
			return ret;
	}
	return 0;
}

/* the optional time series: an array of intervals, in time order */
static int read_series(struct rxs_json_rd *rd, json_object *arr, struct rxs_recording *r)
{
	size_t n = json_object_array_length(arr);
	double prev_t = 0;
	int ret = 0;

	if (n > RXS_SERIES_MAX)
		return rxs_json_bad(rd, "series", "%zu intervals, at most %d", n, RXS_SERIES_MAX);
	if (!n)
		return 0;
	r->series = calloc(n, sizeof(*r->series));
	if (!r->series)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *v, *sn, *st;
		struct rxs_interval *iv = &r->series[i];
		char path[48], p2[64], p3[112];

		snprintf(path, sizeof(path), "series[%zu]", i);
		if (!json_object_is_type(o, json_type_object))
			return rxs_json_bad(rd, path, "expected object");
		r->nseries = (int)i + 1;
		if (!(v = get(rd, o, path, "t_s", json_type_double, &ret)))
			return ret;
		iv->t_s = json_object_get_double(v);
		if (!(v = get(rd, o, path, "dur_s", json_type_double, &ret)))
			return ret;
		iv->dur_s = json_object_get_double(v);
		if (!(iv->dur_s >= 0) || !(iv->t_s >= iv->dur_s - 1e-6) || iv->t_s < prev_t)
			return rxs_json_bad(rd, path, "t_s %g, dur_s %g: not a span after the previous "
				   "interval's end %g", iv->t_s, iv->dur_s, prev_t);
		prev_t = iv->t_s;
		if ((ret = read_counters(rd, o, path, &iv->bpf)))
			return ret;
		if (!(sn = get(rd, o, path, "softnet", json_type_object, &ret)))
			return ret;
		snprintf(p2, sizeof(p2), "%s.softnet", path);
		if ((ret = get_u64(rd, sn, p2, "processed", &iv->sn_processed)) ||
		    (ret = get_u64(rd, sn, p2, "dropped", &iv->sn_dropped)) ||
		    (ret = get_u64(rd, sn, p2, "time_squeeze", &iv->sn_time_squeeze)))
			return ret;
		if (!(st = get(rd, o, path, "stages", json_type_object, &ret)))
			return ret;
		json_object_object_foreach(st, key, h) {
			int id = rxs_stage_from_name(key);

			snprintf(p3, sizeof(p3), "%s.stages.%s", path, key);
			if (id < 0)
				return rxs_json_bad(rd, p3, "unknown stage name");
			if (!json_object_is_type(h, json_type_object))
				return rxs_json_bad(rd, p3, "expected object");
			if ((ret = read_hist(rd, h, p3, &iv->hist[id])))
				return ret;
		}
	}
	return 0;
}

static int read_root(struct rxs_json_rd *rd, json_object *root, struct rxs_recording *r)
{
	json_object *v, *layout, *stages, *cpus, *drops;
	bool seen[RXS_H_NR] = { false };
	char schema[32];
	int ret = 0, ncpus;
	size_t n;

	if (!json_object_is_type(root, json_type_object))
		return rxs_json_bad(rd, "(top level)", "expected a JSON object");
	v = get(rd, root, "", "schema", json_type_string, &ret);
	if (!v)
		return ret;
	snprintf(schema, sizeof(schema), "%s", json_object_get_string(v));
	if (strcmp(schema, RXS_SCHEMA) != 0)
		return rxs_json_bad(rd, "schema", "unknown schema version \"%s\" (this rxscope reads %s)",
			   schema, RXS_SCHEMA);
	layout = get(rd, root, "", "hist_layout", json_type_object, &ret);
	if (!layout)
		return ret;
	{
		__u64 sb, me, nb;

		if ((ret = get_u64(rd, layout, "hist_layout", "sub_bits", &sb)) ||
		    (ret = get_u64(rd, layout, "hist_layout", "max_exp", &me)) ||
		    (ret = get_u64(rd, layout, "hist_layout", "buckets", &nb)))
			return ret;
		if (sb != RXS_HIST_SUB_BITS || me != RXS_HIST_MAX_EXP || nb != RXS_HIST_BUCKETS)
			return rxs_json_bad(rd, "hist_layout", "buckets %llu/%llu/%llu differ from this "
				   "rxscope's %u/%u/%u (sub_bits/max_exp/buckets)",
				   (unsigned long long)sb, (unsigned long long)me,
				   (unsigned long long)nb, RXS_HIST_SUB_BITS, RXS_HIST_MAX_EXP,
				   RXS_HIST_BUCKETS);
	}
	v = get(rd, root, "", "ncpus", json_type_int, &ret);
	if (!v)
		return ret;
	ncpus = json_object_get_int(v);
	if (ncpus < 0 || ncpus > RXS_MAX_CPUS)
		return rxs_json_bad(rd, "ncpus", "%d outside 0..%d", ncpus, RXS_MAX_CPUS);
	rxs_recording_init(r, ncpus);
	if (ncpus && !r->cpus)
		return -ENOMEM;
	if ((ret = get_str(rd, root, "", "kernel", r->kernel, sizeof(r->kernel))) ||
	    (ret = get_str(rd, root, "", "driver", r->driver, sizeof(r->driver))) ||
	    (ret = get_str(rd, root, "", "dev", r->dev, sizeof(r->dev))))
		return ret;
	v = get(rd, root, "", "port", json_type_int, &ret);
	if (!v)
		return ret;
	r->port = json_object_get_int(v);
	if (r->port < 0 || r->port > 65535)
		return rxs_json_bad(rd, "port", "%d outside 0..65535", r->port);
	v = get(rd, root, "", "duration_s", json_type_double, &ret);
	if (!v)
		return ret;
	r->duration_s = json_object_get_double(v);
	if (!(r->duration_s >= 0))
		return rxs_json_bad(rd, "duration_s", "negative or not a number");
	v = get(rd, root, "", "start_unix", json_type_int, &ret);
	if (!v)
		return ret;
	r->start_unix = json_object_get_int64(v);

	stages = get(rd, root, "", "stages", json_type_array, &ret);
	if (!stages)
		return ret;
	n = json_object_array_length(stages);
	if (n == 0)
		return rxs_json_bad(rd, "stages", "empty");
	for (size_t i = 0; i < n; i++)
		if ((ret = read_stage(rd, json_object_array_get_idx(stages, i), (int)i, r, seen)))
			return ret;
	/* stages missing from the file stay unavailable, with hook "" */

	cpus = get(rd, root, "", "cpus", json_type_array, &ret);
	if (!cpus)
		return ret;
	if (json_object_array_length(cpus) != (size_t)ncpus)
		return rxs_json_bad(rd, "cpus", "%zu entries for ncpus %d",
			   json_object_array_length(cpus), ncpus);
	for (int i = 0; i < ncpus; i++)
		if ((ret = read_cpu(rd, json_object_array_get_idx(cpus, i), i, &r->cpus[i])))
			return ret;
	drops = get(rd, root, "", "drops", json_type_array, &ret);
	if (!drops)
		return ret;
	ret = read_drops(rd, drops, r);
	if (ret)
		return ret;
	/* optional: files written before it existed read as 0 */
	if (json_object_object_get_ex(root, "tracking_swept", NULL))
		ret = get_u64(rd, root, "", "tracking_swept", &r->tracking_swept);
	if (!ret && json_object_object_get_ex(root, "sample_pct", NULL)) {
		__u64 pct = 0;

		ret = get_u64(rd, root, "", "sample_pct", &pct);
		if (!ret && (pct < 1 || pct > 100))
			ret = rxs_json_bad(rd, "sample_pct", "%llu is not a percentage 1..100",
				  (unsigned long long)pct);
		if (!ret)
			r->sample_pct = (int)pct;
	}
	if (ret)
		return ret;
	/* optional: only recordings made with an interval have a series */
	if (json_object_object_get_ex(root, "series", NULL)) {
		json_object *ser = get(rd, root, "", "series", json_type_array, &ret);

		if (!ser)
			return ret;
		ret = read_series(rd, ser, r);
	}
	/* optional: only recordings made with --by have a split */
	if (!ret && json_object_object_get_ex(root, "split", NULL)) {
		json_object *sp = get(rd, root, "", "split", json_type_object, &ret);

		if (!sp)
			return ret;
		ret = read_split(rd, sp, r);
	}
	/* optional: only recordings made with --slow have it */
	if (!ret && json_object_object_get_ex(root, "slow", &v))
		ret = rxs_slow_json_read(v, rd->file, &r->slow, rd->err, rd->errlen);
	return ret;
}

/*
 * What a file that is not JSON most likely is, from its first bytes: the other formats
 * rxscope writes. NULL when it may be JSON (the parser then says what is wrong).
 */
static const char *other_format(const char *buf, size_t len)
{
	size_t i = 0, commas = 0;

	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	if (i == len || buf[i] == '{' || buf[i] == '[')
		return NULL;
	if (len - i >= 7 && (!strncmp(buf + i, "# HELP ", 7) || !strncmp(buf + i, "# TYPE ", 7)))
		return "Prometheus text (record --format prom)";
	for (; i < len && buf[i] != '\n'; i++)
		commas += buf[i] == ',';
	if (commas >= 2)
		return "CSV (record --format csv)";
	return NULL;
}

int rxs_json_read(const char *path, struct rxs_recording *r, char *err, size_t errlen)
{
	struct rxs_json_rd rd = { .file = path, .err = err, .errlen = errlen };
	const char *other;
	struct stat st;
	json_tokener *tok = NULL;
	json_object *root = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	rxs_recording_init(r, 0);
	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "failed to open %s: %s", path, strerror(-ret));
		return ret;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory (want a JSON recording)", path);
		fclose(f);
		return -EISDIR;
	}
	{
		FILE *m = open_memstream(&buf, &len);
		char chunk[65536];
		size_t got;

		if (!m) {
			fclose(f);
			return -ENOMEM;
		}
		errno = 0;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, got, m);
		ret = ferror(f) ? (errno ? -errno : -EIO) : 0;
		fclose(m);
		fclose(f);
		if (ret) {
			snprintf(err, errlen, "failed to read %s: %s", path, strerror(-ret));
			free(buf);
			return ret;
		}
	}
	other = other_format(buf, len);
	if (other) {
		snprintf(err, errlen, "%s: this looks like %s; report and compare read JSON "
			 "recordings (record --format json, the default)", path, other);
		free(buf);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok) {
		free(buf);
		return -ENOMEM;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    (size_t)json_tokener_get_parse_end(tok) < len) {
		size_t end = json_tokener_get_parse_end(tok);
		enum json_tokener_error e = json_tokener_get_error(tok);

		/* trailing whitespace after the document is fine; a NUL byte is not (strchr
		 * would find the string's terminator) */
		while (root && e == json_tokener_success && end < len && buf[end] &&
		       strchr(" \t\r\n", buf[end]))
			end++;
		if (!root || e != json_tokener_success || end < len) {
			/* json-c says "continue" when the document stopped half-way */
			snprintf(err, errlen, "%s: (document): not valid JSON: %s at byte %zu%s",
				 path, root ? "trailing data" : e == json_tokener_continue ?
				 "unexpected end of data" : json_tokener_error_desc(e), end,
				 len ? "" : " (the file is empty)");
			ret = -EINVAL;
			goto out;
		}
	}
	ret = read_root(&rd, root, r);
out:
	json_object_put(root);
	json_tokener_free(tok);
	free(buf);
	return ret;
}

/* ---- --by: the split of the per-packet stages (docs/format.md) ------------------- */

static json_object *split_json(const struct rxs_split *s)
{
	json_object *o = json_object_new_object(), *groups = json_object_new_array();
	char name[16];

	json_object_object_add(o, "by", json_object_new_string(rxs_by_name(s->by)));
	json_object_object_add(o, "max", json_object_new_int(RXS_BY_MAX));
	for (int g = 0; g < RXS_BY_GROUPS; g++) {
		json_object *go, *st;

		if (!rxs_split_group_used(s, g))
			continue;
		go = json_object_new_object();
		st = json_object_new_object();
		json_object_object_add(go, "group", json_object_new_string(
			rxs_split_group_name(g, name, sizeof(name))));
		json_object_object_add(go, "packets", u64(s->pkts[g]));
		for (int i = 0; i < RXS_H_NR; i++)
			if (s->hist[g][i].count)
				json_object_object_add(st, rxs_stage_name(i),
						       hist_json(&s->hist[g][i]));
		json_object_object_add(go, "stages", st);
		json_object_array_add(groups, go);
	}
	json_object_object_add(o, "groups", groups);
	return o;
}

/* "0" .. "15" or "other" -> the group index; -1 for anything else */
static int split_group_parse(const char *s)
{
	char *end;
	long v;

	if (!strcmp(s, "other"))
		return RXS_BY_OTHER;
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1]))
		return -1;
	v = strtol(s, &end, 10);
	return *end || v >= RXS_BY_MAX ? -1 : (int)v;
}

static int read_split(struct rxs_json_rd *rd, json_object *o, struct rxs_recording *r)
{
	json_object *groups;
	struct rxs_split *s;
	bool seen[RXS_BY_GROUPS] = { false };
	char by[16], path[48], p2[64], p3[112];
	__u64 max;
	int ret = 0;
	size_t n;

	if ((ret = get_str(rd, o, "split", "by", by, sizeof(by))))
		return ret;
	if (rxs_by_parse(by) < 0)
		return rxs_json_bad(rd, "split.by", "unknown split \"%s\" (queue or cpu)", by);
	if ((ret = get_u64(rd, o, "split", "max", &max)))
		return ret;
	if (max != RXS_BY_MAX)
		return rxs_json_bad(rd, "split.max", "%llu groups differ from this rxscope's %d",
			   (unsigned long long)max, RXS_BY_MAX);
	if (!(groups = get(rd, o, "split", "groups", json_type_array, &ret)))
		return ret;
	s = rxs_split_new(rxs_by_parse(by));
	if (!s)
		return -ENOMEM;
	r->split = s;
	n = json_object_array_length(groups);
	for (size_t i = 0; i < n; i++) {
		json_object *go = json_object_array_get_idx(groups, i), *st;
		char name[16];
		int g;

		snprintf(path, sizeof(path), "split.groups[%zu]", i);
		if (!json_object_is_type(go, json_type_object))
			return rxs_json_bad(rd, path, "expected object");
		if ((ret = get_str(rd, go, path, "group", name, sizeof(name))))
			return ret;
		g = split_group_parse(name);
		snprintf(p2, sizeof(p2), "%s.group", path);
		if (g < 0)
			return rxs_json_bad(rd, p2, "\"%s\" is not a group (0..%d or other)", name,
				   RXS_BY_MAX - 1);
		if (seen[g])
			return rxs_json_bad(rd, p2, "group \"%s\" appears twice", name);
		seen[g] = true;
		if ((ret = get_u64(rd, go, path, "packets", &s->pkts[g])))
			return ret;
		if (!(st = get(rd, go, path, "stages", json_type_object, &ret)))
			return ret;
		json_object_object_foreach(st, key, h) {
			int id = rxs_stage_from_name(key);

			snprintf(p3, sizeof(p3), "%s.stages.%s", path, key);
			if (id < 0)
				return rxs_json_bad(rd, p3, "unknown stage name");
			if (!rxs_stage_def(id)->per_packet)
				return rxs_json_bad(rd, p3, "not a per-packet stage");
			if (!json_object_is_type(h, json_type_object))
				return rxs_json_bad(rd, p3, "expected object");
			if ((ret = read_hist(rd, h, p3, &s->hist[g][id])))
				return ret;
		}
	}
	return 0;
}
