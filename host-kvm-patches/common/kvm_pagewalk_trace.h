/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-pagewalk host tracepoints (system kvm_pagewalk): one request event,
 * one event per table entry read, one result event; req ties them to the
 * guest's batch request id.  Disabled tracepoints cost a static branch.
 */
#if !defined(_TRACE_KVM_PAGEWALK_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_KVM_PAGEWALK_H

#include <linux/tracepoint.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvm_pagewalk

/* Which table a level event belongs to. */
#define KVM_PAGEWALK_TRACE_TDP		0
#define KVM_PAGEWALK_TRACE_SPT		1
#define KVM_PAGEWALK_TRACE_HOSTPT	2

TRACE_EVENT(kvm_pagewalk_request,
	    TP_PROTO(unsigned int vcpu_id, u64 req, u64 gpa, u64 gva, u64 cr3),
	    TP_ARGS(vcpu_id, req, gpa, gva, cr3),

	    TP_STRUCT__entry(__field(unsigned int, vcpu_id)
			     __field(u64, req)
			     __field(u64, gpa)
			     __field(u64, gva)
			     __field(u64, cr3)),

	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->req = req;
			   __entry->gpa = gpa;
			   __entry->gva = gva;
			   __entry->cr3 = cr3;),

	    TP_printk("vcpu=%u req=%llu gpa=0x%llx gva=0x%llx cr3=0x%llx",
		      __entry->vcpu_id, __entry->req, __entry->gpa, __entry->gva,
		      __entry->cr3)
);

TRACE_EVENT(kvm_pagewalk_level,
	    TP_PROTO(u64 req, u64 gpa, u8 table_kind, u8 level, u64 table,
		     u16 index, u64 raw),
	    TP_ARGS(req, gpa, table_kind, level, table, index, raw),

	    TP_STRUCT__entry(__field(u64, req)
			     __field(u64, gpa)
			     __field(u64, table)
			     __field(u64, entry)
			     __field(u16, index)
			     __field(u8, table_kind)
			     __field(u8, level)),

	    TP_fast_assign(__entry->req = req;
			   __entry->gpa = gpa;
			   __entry->table = table;
			   __entry->entry = raw;
			   __entry->index = index;
			   __entry->table_kind = table_kind;
			   __entry->level = level;),

	    TP_printk("req=%llu gpa=0x%llx %s L%u table=0x%llx idx=%u entry=0x%016llx",
		      __entry->req, __entry->gpa,
		      __print_symbolic(__entry->table_kind,
				       { KVM_PAGEWALK_TRACE_TDP, "TDP" },
				       { KVM_PAGEWALK_TRACE_SPT, "SPT" },
				       { KVM_PAGEWALK_TRACE_HOSTPT, "HOSTPT" }),
		      __entry->level, __entry->table, __entry->index,
		      __entry->entry)
);

TRACE_EVENT(kvm_pagewalk_result,
	    TP_PROTO(u64 req, u64 gpa, u64 hpa, u64 hva, int slot, u8 leaf,
		     int status, u64 value, u8 hostpt, u8 tdp),
	    TP_ARGS(req, gpa, hpa, hva, slot, leaf, status, value, hostpt, tdp),

	    TP_STRUCT__entry(__field(u64, req)
			     __field(u64, gpa)
			     __field(u64, hpa)
			     __field(u64, hva)
			     __field(u64, value)
			     __field(int, slot)
			     __field(int, status)
			     __field(u8, leaf)
			     __field(u8, hostpt)
			     __field(u8, tdp)),

	    TP_fast_assign(__entry->req = req;
			   __entry->gpa = gpa;
			   __entry->hpa = hpa;
			   __entry->hva = hva;
			   __entry->value = value;
			   __entry->slot = slot;
			   __entry->status = status;
			   __entry->leaf = leaf;
			   __entry->hostpt = hostpt;
			   __entry->tdp = tdp;),

	    TP_printk("req=%llu gpa=0x%llx tdp=%s hpa=0x%llx hva=0x%llx slot=%d leaf=%u status=%d value=0x%016llx hostpt=%s",
		      __entry->req, __entry->gpa,
		      __print_symbolic(__entry->tdp, { 0, "none" }, { 1, "npt" },
				       { 2, "ept" }, { 3, "shadow" }),
		      __entry->hpa, __entry->hva, __entry->slot, __entry->leaf,
		      __entry->status, __entry->value,
		      __print_symbolic(__entry->hostpt, { 0, "absent" },
				       { 1, "match" }, { 2, "mismatch" }))
);

#endif /* _TRACE_KVM_PAGEWALK_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kvm_pagewalk_trace

#include <trace/define_trace.h>
