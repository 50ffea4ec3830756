# METADATA
# title: Reports, reviews and audits (報表、檢核與稽核)
# description: |
#   WEEKLY-01, SAMPLE-01, SELFCHECK-01, INTAUDIT-01, JCICAUDIT-01, JCICAUDIT-02, FSCAUDIT-01,
#   FSCAUDIT-02, CARDAUDIT-01, USAGE-01, TRAIN-01, RULES-01, CERT-01, INCIDENT-01.
package bligate.areas.oversight

import data.bligate.lib

state_findings contains f if some f in sample_01_state

# ---------------------------------------------------------------------------------------------
# SAMPLE-01 — monthly sampling of query records

# The number of records a month's sample must cover: all of them below the minimum, else the
# larger of the minimum and the rate (rounded up).
sample_required(n) := n if n < lib.param("sampling.minimum")

sample_required(n) := max([lib.param("sampling.minimum"), lib.ceil_exact(n * lib.param("sampling.rate"))]) if {
	n >= lib.param("sampling.minimum")
}

# The instant by which a month's sample is due (institution-defined: end of the following month).
sample_due_ns(month) := lib.month_plus_ns(month, 1 + lib.param("sampling.due_months"))

# Records sampled for a month by an instant (samples completed by then, not deleted before it).
sampled_by(month, t) := sum([s.sampled |
	some s in object.get(input, "monthly_samples", [])
	s.month == month
	is_string(s.completed_at)
	lib.ns(s.completed_at) < t
])

sample_evidence(m, t) := {
	"month": m.month,
	"records": m.records,
	"sampled": sampled_by(m.month, t),
	"required": sample_required(m.records),
	"due": lib.date_of(sample_due_ns(m.month) - 1),
	"rate": lib.param("sampling.rate"),
	"minimum": lib.param("sampling.minimum"),
}

# METADATA
# scope: document
# title: Monthly sampling of query records
# description: Every month a designated person checks at least 2 % of the month's query records, and at least 10 (all when fewer), by the institution's due date.
# custom:
#   requirement: SAMPLE-01
#   clause: 九(三)2(1)
#   severity: high
#   title_zh: 每月抽查查詢紀錄
#   modes: [state]
#   automated: true
sample_01_state contains lib.institution_defined(f, ["sampling.due_months"]) if {
	some m in input.query_months
	m.records > 0
	due := sample_due_ns(m.month)
	lib.ended(due)
	sampled_by(m.month, due) < sample_required(m.records)
	ev := sample_evidence(m, due)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": m.month},
		ev,
		sprintf("%s 月查詢紀錄 %d 筆，至 %s 僅抽查 %d 筆，應至少抽查 %d 筆。", [m.month, m.records, ev.due, ev.sampled, ev.required]),
		sprintf("Month %s had %d query records; %d were sampled by %s, at least %d are required.", [m.month, m.records, ev.sampled, ev.due, ev.required]),
	)
}

sample_01_state contains lib.institution_defined(f, ["sampling.due_months"]) if {
	some m in input.query_months
	m.records > 0
	lib.ended(lib.month_end_ns(m.month))
	due := sample_due_ns(m.month)
	lib.due_soon(due)
	sampled_by(m.month, lib.as_of_ns) < sample_required(m.records)
	ev := sample_evidence(m, lib.as_of_ns)
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"month": m.month},
		ev,
		sprintf("%s 月應抽查 %d 筆，目前 %d 筆，期限 %s。", [m.month, ev.required, ev.sampled, ev.due]),
		sprintf("Month %s needs %d records sampled by %s; %d so far.", [m.month, ev.required, ev.due, ev.sampled]),
	)
}

# The reviewer is never the staff member whose records are sampled.
sample_01_state contains f if {
	some s in input.monthly_samples
	s.reviewer in object.get(s, "reviewed_staff", [])
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": s.month, "sample": s.id, "staff": s.reviewer},
		{"month": s.month, "reviewer": s.reviewer, "reviewed_staff": s.reviewed_staff},
		sprintf("%s 月抽查由 %s 執行，但抽查對象包含其本人之查詢紀錄。", [s.month, s.reviewer]),
		sprintf("The %s sample was reviewed by %s, whose own query records were sampled.", [s.month, s.reviewer]),
	)
}

# Samples are kept five years.
sample_01_state contains f if {
	some s in input.monthly_samples
	is_string(s.deleted_at)
	created := lib.ns(object.get(s, "completed_at", null))
	lib.deleted_early(created, lib.ns(s.deleted_at))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": s.month, "sample": s.id},
		{"completed_at": s.completed_at, "deleted_at": s.deleted_at, "retention_years": lib.param("retention.years")},
		sprintf("%s 月抽查紀錄於 %s 刪除，未滿 %d 年保存期限。", [s.month, s.deleted_at, lib.param("retention.years")]),
		sprintf("The %s sample record was deleted on %s, before its %d-year retention ended.", [s.month, s.deleted_at, lib.param("retention.years")]),
	)
}

# Weaker overrides of the sampling parameters.
sample_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("SAMPLE-01")
}
