/*
 * plantable.c - the placement table (see plantable.h).
 *
 * The parts inside the information structure are located from the layouts
 * mbi1.h and mbi2.h document (tests/unit/test_plantable.c checks them
 * against the built structures, byte for byte).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "format.h"
#include "multiboot1.h"
#include "plantable.h"
#include "util.h"

const char *mb_e820_type_name(uint32_t type)
{
	static const char *const names[] = {
		[1] = "RAM", [2] = "reserved", [3] = "ACPI", [4] = "NVS",
		[5] = "unusable", [6] = "disabled", [7] = "persistent",
	};
	static char other[24];

	if (type < MB_ARRAY_SIZE(names) && names[type])
		return names[type];
	mb_snprintf(other, sizeof(other), "type %u", type);
	return other;
}

/** Find the entry of @map holding [@r->start, @r->end), RAM first. */
static void locate(struct mb_plan_row *r, const struct mb_e820 *map,
		   unsigned nmap)
{
	r->map = -1;
	for (int pass = 0; pass < 2 && r->map < 0; pass++)
		for (unsigned i = 0; i < nmap; i++) {
			const struct mb_e820 *e = &map[i];
			uint64_t end = e->len > ~0ull - e->base ? ~0ull :
				       e->base + e->len;
			if ((pass == 0) != (e->type == MB_E820_RAM))
				continue;
			if (e->base <= r->start && r->end <= end &&
			    r->start < end) {
				r->map = (int)i;
				r->map_start = e->base;
				r->map_end = end;
				r->map_type = e->type;
				break;
			}
		}
}

/** Append a row to @t (bounded by MB_PLAN_MAX_ROWS). */
static struct mb_plan_row *add_row(struct mb_plan_table *t,
				   enum mb_row_kind kind, unsigned index,
				   uint64_t start, uint64_t size)
{
	if (t->nrows == MB_PLAN_MAX_ROWS)
		return NULL;	/* cannot happen: sized for the maxima */
	struct mb_plan_row *r = &t->rows[t->nrows++];
	mb_memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->index = index;
	r->start = start;
	r->end = start + size;
	return r;
}

/** Append a sub-row of the information at @base + @off, @size bytes,
 * labelled "  info " followed by @label (and @n when @n >= 0). */
static void add_part(struct mb_plan_table *t, uint32_t base, size_t off,
		     size_t size, const char *label, int n)
{
	struct mb_plan_row *r = add_row(t, MB_ROW_INFO_PART, n < 0 ? 0 : n,
					(uint64_t)base + off, size);
	if (!r)
		return;
	if (n < 0)
		mb_snprintf(r->what, sizeof(r->what), "  info %s", label);
	else
		mb_snprintf(r->what, sizeof(r->what), "  info %s %d", label, n);
}

/** The parts of a Multiboot 1 information blob at @base (mbi1.h). */
static void mb1_parts(struct mb_plan_table *t, const struct mb_load_input *in,
		      uint32_t base)
{
	const struct mb_request *req = in->req;
	unsigned nmods = req->nfiles - 1;
	size_t off = sizeof(struct mb1_info), len;

	add_part(t, base, 0, off, "fixed fields", -1);
	len = in->in1->nmap * sizeof(struct mb1_mmap_entry);
	add_part(t, base, off, len, "memory map", -1);
	off += len;
	if (nmods) {
		len = nmods * sizeof(struct mb1_module);
		add_part(t, base, off, len, "module list", -1);
		off += len;
	}
	for (unsigned i = 0; i < req->nfiles; i++) {
		len = mb_file_cmdline_len(&req->files[i]) + 1;
		if (i == 0)
			add_part(t, base, off, len, "cmdline kernel", -1);
		else
			add_part(t, base, off, len, "cmdline module", (int)i);
		off += len;
	}
	len = mb_strlen(in->in1->loader_name) + 1;
	add_part(t, base, off, len, "loader name", -1);
	off += len;
	if (in->in1->apm)
		add_part(t, base, MB_ALIGN_UP(off, (size_t)4),
			 sizeof(struct mb1_apm), "APM table", -1);
}

/** The strings and memory map inside a Multiboot 2 blob at @base
 * (mbi2.h: header, tag 1, tag 2, tags 3, tag 4, [tag 5], tag 6). */
static void mb2_parts(struct mb_plan_table *t, const struct mb_load_input *in,
		      uint32_t base)
{
	const struct mb_request *req = in->req;
	size_t pos = 8, len;

	len = mb_file_cmdline_len(&req->files[0]) + 1;
	add_part(t, base, pos + 8, len, "cmdline kernel", -1);
	pos = MB_ALIGN_UP(pos + 8 + len, (size_t)8);
	len = mb_strlen(in->in2->loader_name) + 1;
	add_part(t, base, pos + 8, len, "loader name", -1);
	pos = MB_ALIGN_UP(pos + 8 + len, (size_t)8);
	for (unsigned i = 1; i < req->nfiles; i++) {
		len = mb_file_cmdline_len(&req->files[i]) + 1;
		add_part(t, base, pos + 16, len, "cmdline module", (int)i);
		pos = MB_ALIGN_UP(pos + 16 + len, (size_t)8);
	}
	pos += 16;			/* basic memory information */
	if (in->in2->have_bootdev)
		pos += 24;		/* 20 bytes, padded */
	add_part(t, base, pos, 16 + in->in2->nmap * 24, "memory map", -1);
}

/** Order for top-level rows: by start, then by end, then by kind. */
static int row_before(const struct mb_plan_row *a, const struct mb_plan_row *b)
{
	if (a->start != b->start)
		return a->start < b->start;
	if (a->end != b->end)
		return a->end < b->end;
	return a->kind < b->kind;
}

void mb_plan_table_build(const struct mb_load_input *in,
			 const struct mb_load_plan *plan,
			 const struct mb_e820 *map, unsigned nmap,
			 struct mb_plan_table *t)
{
	static const struct {
		enum mb_load_slot slot;
		enum mb_row_kind kind;
		const char *what;
	} fixed[] = {
		{ MB_SLOT_INFO, MB_ROW_INFO, "info" },
		{ MB_SLOT_BOOT, MB_ROW_BOOT, "boot area" },
		{ MB_SLOT_IMAGE, MB_ROW_IMAGE, "kernel image copy" },
		{ MB_SLOT_ELFSEC, MB_ROW_ELFSEC, "ELF sections" },
	};
	const struct mb_image *img = in->img;
	struct mb_plan_row *r;

	t->proto = in->proto;
	t->nrows = 0;
	for (unsigned i = 0; i < img->nsegs; i++) {
		r = add_row(t, MB_ROW_SEGMENT, i, img->segs[i].addr,
			    img->segs[i].memsz);
		mb_snprintf(r->what, sizeof(r->what), "kernel segment %u", i);
	}
	for (unsigned k = 0; k < MB_ARRAY_SIZE(fixed); k++) {
		const struct mb_alloc *a = &plan->allocs[fixed[k].slot];
		uint32_t at = a->addr;
		if (!a->size)
			continue;
		if (fixed[k].kind == MB_ROW_INFO && plan->info_addr != at) {
			r = add_row(t, MB_ROW_INFO_STAGING, 0, at, a->size);
			mb_snprintf(r->what, sizeof(r->what), "info staging");
			at = plan->info_addr;
		}
		r = add_row(t, fixed[k].kind, 0, at, a->size);
		mb_snprintf(r->what, sizeof(r->what), "%s", fixed[k].what);
	}
	for (unsigned i = 1; i < in->req->nfiles; i++) {
		const struct mb_alloc *a = &plan->allocs[MB_SLOT_MODS + i - 1];
		r = add_row(t, MB_ROW_MODULE, i, a->addr, a->size);
		mb_snprintf(r->what, sizeof(r->what), "module %u", i);
		r->name = in->req->files[i].name;
	}

	/* Insertion sort: stable, and the table is small. */
	for (unsigned i = 1; i < t->nrows; i++) {
		struct mb_plan_row tmp = t->rows[i];
		unsigned j = i;
		for (; j > 0 && row_before(&tmp, &t->rows[j - 1]); j--)
			t->rows[j] = t->rows[j - 1];
		t->rows[j] = tmp;
	}

	/* The information's parts go at the end, then move up to follow
	 * their parent. */
	unsigned top = t->nrows, parent = top;
	for (unsigned i = 0; i < top; i++)
		if (t->rows[i].kind == MB_ROW_INFO)
			parent = i;
	if (parent < top) {
		uint32_t base = plan->info_addr;
		if (in->proto == 1)
			mb1_parts(t, in, base);
		else
			mb2_parts(t, in, base);
		/* Rotate rows[parent+1 .. top) behind the parts. */
		for (unsigned k = 0; k < top - parent - 1; k++) {
			struct mb_plan_row tmp = t->rows[parent + 1];
			mb_memmove(&t->rows[parent + 1], &t->rows[parent + 2],
				   (t->nrows - parent - 2) * sizeof(tmp));
			t->rows[t->nrows - 1] = tmp;
		}
	}
	for (unsigned i = 0; i < t->nrows; i++)
		locate(&t->rows[i], map, nmap);
}

/** Format row @r into @buf. */
static void format_row(const struct mb_plan_row *r, char *buf, size_t cap)
{
	char where[80];

	if (r->map < 0)
		mb_snprintf(where, sizeof(where), "none");
	else
		mb_snprintf(where, sizeof(where), "e820[%d] 0x%08llx-0x%08llx %s",
			    r->map, (unsigned long long)r->map_start,
			    (unsigned long long)r->map_end,
			    mb_e820_type_name(r->map_type));
	mb_snprintf(buf, cap, "  0x%08llx 0x%08llx %10llu | %s | %s%s%s",
		    (unsigned long long)r->start, (unsigned long long)r->end,
		    (unsigned long long)(r->end - r->start), where, r->what,
		    r->name ? " " : "", r->name ? r->name : "");
}

void mb_plan_table_print(const struct mb_plan_table *t, mb_line_fn emit,
			 void *ctx)
{
	static char line[MB_CMDLINE_MAX + 160];

	mb_snprintf(line, sizeof(line),
		    "placement (Multiboot %d): start end bytes | memory map entry | what",
		    t->proto);
	emit(ctx, line);
	for (unsigned i = 0; i < t->nrows; i++) {
		format_row(&t->rows[i], line, sizeof(line));
		emit(ctx, line);
	}
}

/** Where mb_plan_table_format writes: a buffer and how much is used. */
struct sink {
	char *buf;
	size_t cap, len;
};

/** mb_line_fn appending @line and a newline to a struct sink. */
static void to_buffer(void *ctx, const char *line)
{
	struct sink *s = ctx;
	size_t n = mb_strlen(line);

	for (size_t i = 0; i <= n; i++) {
		if (s->len + 1 < s->cap)
			s->buf[s->len] = i < n ? line[i] : '\n';
		s->len++;
	}
	if (s->cap)
		s->buf[s->len < s->cap ? s->len : s->cap - 1] = '\0';
}

size_t mb_plan_table_format(const struct mb_plan_table *t, char *buf,
			    size_t cap)
{
	struct sink s = { buf, cap, 0 };

	if (cap)
		buf[0] = '\0';
	mb_plan_table_print(t, to_buffer, &s);
	return s.len;
}

size_t mb_plan_verdict(const struct mb_load_input *in, char *buf, size_t cap)
{
	return mb_snprintf(buf, cap,
			   "%s would boot (Multiboot %d), %u files, %llu bytes",
			   in->req->files[0].name, in->proto, in->req->nfiles,
			   (unsigned long long)mb_load_total_bytes(in));
}
